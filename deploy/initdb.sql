-- Two databases on one server: Prefect's own and rasid's archive.
CREATE DATABASE prefect;
CREATE DATABASE rasid;
