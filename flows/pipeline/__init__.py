"""One poll's stages around the flow: what it watches, discovery, preparing pages in workers, an outlet's poll."""
