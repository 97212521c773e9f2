"""Telegram preview pages (https://t.me/s/NAME) for the replica's channels.

The markup is the preview's as Telegram serves it (the classes extractors/telegram.py reads,
the same as tests/data/telegram/tchantest.html, a real page): the history section, each post's
wrap with `data-post`, its bubble, text (line breaks as <br/>), views, "edited" and its date.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{name} – Telegram</title>
    <meta property="og:title" content="{name}">
    <meta property="og:site_name" content="Telegram">
  </head>
  <body class="widget_frame_base tgme_webpreview_body">
    <main class="tgme_main" data-url="/{channel}">
      <div class="tgme_container">
        <div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div>
        <section class="tgme_channel_history js-message_history">
{posts}
        </section>
      </div>
    </main>
  </body>
</html>
"""

POST = """          <div class="tgme_widget_message_wrap js-widget_message_wrap">
            <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{id}">
              <div class="tgme_widget_message_user"><a href="https://t.me/{channel}"></a></div>
              <div class="tgme_widget_message_bubble">
                <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">{name}</span></a></div>
{forwarded}                <div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
                <div class="tgme_widget_message_footer compact js-message_footer">
                  <div class="tgme_widget_message_info short js-message_info">
                    <span class="tgme_widget_message_views">{views}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" href="https://t.me/{channel}/{id}"><time datetime="{datetime}" class="time">{hhmm}</time></a></span>
                  </div>
                </div>
              </div>
            </div>
          </div>"""

FORWARDED = ('                <div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
             '<a class="tgme_widget_message_forwarded_from_name"><span dir="auto">{source}</span></a></div>\n')


def post_text(post: dict, wave: int) -> tuple[str, bool]:
    """The post's text as the wave shows it, and whether it is marked edited."""
    if post.get("edited_in") and wave >= post["edited_in"]:
        return post["edited"], True
    return post["text"], False


def render_channel(channel: dict, wave: int) -> bytes:
    posts = [p for p in channel["posts"] if p["wave"] <= wave]
    blocks = []
    for post in sorted(posts, key=lambda p: p["id"]):
        text, edited = post_text(post, wave)
        when = datetime.fromisoformat(post["published"])
        blocks.append(POST.format(
            channel=channel["channel"], id=post["id"], name=escape(channel["name"]),
            text="<br/>".join(escape(line) for line in text.split("\n")), views=escape(str(post["views"])),
            edited="edited &nbsp;" if edited else "", datetime=when.isoformat(), hhmm=when.strftime("%H:%M"),
            forwarded=FORWARDED.format(source=escape(post["forwarded_from"])) if post.get("forwarded_from") else ""))
    return PAGE.format(name=escape(channel["name"]), channel=channel["channel"],
                       posts="\n".join(blocks)).encode("utf-8")
