"""The small rich-text dialect of briefing sections: paragraphs, bold, italic, underline, lists.

``clean_html`` keeps only those tags (no attributes), so what staff paste from Word or a web
page cannot carry scripts or styles. ``paragraphs`` turns it into runs for the .docx writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Any

BLOCKS = {"p", "div", "li", "h3", "h4"}
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u"}
LISTS = {"ul", "ol"}


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)
    bullet: str = ""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.current = Paragraph()
        self.styles: dict[str, int] = {"b": 0, "i": 0, "u": 0}
        self.lists: list[list[Any]] = []  # [tag, counter]
        self.skip = 0

    def _flush(self) -> None:
        if self.current.text.strip():
            self.paragraphs.append(self.current)
        self.current = Paragraph()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in INLINE:
            self.styles[INLINE[tag]] += 1
        elif tag in LISTS:
            self._flush()
            self.lists.append([tag, 0])
        elif tag in BLOCKS:
            self._flush()
            if tag == "li" and self.lists:
                self.lists[-1][1] += 1
                kind, number = self.lists[-1]
                self.current.bullet = f"{number}." if kind == "ol" else "•"
        elif tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in INLINE:
            self.styles[INLINE[tag]] = max(0, self.styles[INLINE[tag]] - 1)
        elif tag in LISTS:
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        text = " ".join(data.split("\n"))
        if not text.strip() and not self.current.runs:
            return
        self.current.runs.append(
            Run(text, bool(self.styles["b"]), bool(self.styles["i"]), bool(self.styles["u"]))
        )

    def close(self) -> None:
        super().close()
        self._flush()


def paragraphs(html: str) -> list[Paragraph]:
    parser = _Parser()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def clean_html(html: str) -> str:
    """The allowed subset of ``html``: ``<p>`` paragraphs with ``<b>/<i>/<u>`` runs and lists."""
    out: list[str] = []
    in_list = ""
    for para in paragraphs(html):
        kind = "ol" if para.bullet[:1].isdigit() else ("ul" if para.bullet else "")
        if kind != in_list:
            if in_list:
                out.append(f"</{in_list}>")
            if kind:
                out.append(f"<{kind}>")
            in_list = kind
        inner = ""
        for run in para.runs:
            piece = escape(run.text, quote=False)
            for flag, tag in ((run.underline, "u"), (run.italic, "i"), (run.bold, "b")):
                if flag:
                    piece = f"<{tag}>{piece}</{tag}>"
            inner += piece
        out.append(f"<li>{inner}</li>" if kind else f"<p>{inner}</p>")
    if in_list:
        out.append(f"</{in_list}>")
    return "".join(out)
