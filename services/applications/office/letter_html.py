"""A :class:`Letter` as a printable HTML page (German, A4 print styles).

Every text of the letter is HTML-escaped: names, titles and cost lines come from users.
"""

from __future__ import annotations

from html import escape

from services.applications.office.letter import Block, Items, Letter, Paragraph, Run, Table

_STYLE = """
@page { size: A4; margin: 20mm 20mm 25mm 25mm; }
body { font-family: "Fira Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #000; max-width: 170mm; margin: 0 auto; }
header { display: flex; justify-content: space-between; border-bottom: 1px solid #000;
         padding-bottom: 4mm; margin-bottom: 8mm; }
h1 { font-size: 13pt; margin: 8mm 0 4mm; }
h2 { font-size: 11pt; margin: 6mm 0 2mm; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; page-break-inside: avoid; }
th, td { border: 1px solid #666; padding: 1mm 2mm; text-align: left; vertical-align: top; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
.meta td { border: none; padding: 0 2mm 0 0; }
.return { font-size: 7pt; text-decoration: underline; }
.address { margin: 10mm 0 6mm; }
.signature { margin-top: 12mm; }
"""


def _runs(runs: list[Run]) -> str:
    parts = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br>\n")
        parts.append(f"<strong>{text}</strong>" if run.bold else text)
    return "".join(parts)


def _table(table: Table) -> str:
    def cells(row: list[str], strong: bool) -> str:
        tag = "th" if strong else "td"
        return "".join(
            f'<{tag} class="amount">{escape(c)}</{tag}>'
            if i in table.amounts
            else f"<{tag}>{escape(c)}</{tag}>"
            for i, c in enumerate(row)
        )

    lines = ["<table>"]
    if table.header:
        lines.append(f"<tr>{cells(table.header, True)}</tr>")
    lines += [f"<tr>{cells(row, i in table.strong)}</tr>" for i, row in enumerate(table.rows)]
    lines.append("</table>")
    return "\n".join(lines)


def _block(block: Block) -> str:
    match block:
        case Paragraph():
            return f"<p>{_runs(block.runs)}</p>"
        case Items():
            items = "\n".join(f"<li>{escape(item)}</li>" for item in block.items)
            return f"<ol>\n{items}\n</ol>"
        case Table():
            return _table(block)


def render_html(letter: Letter) -> str:
    """The complete HTML document."""
    e = escape
    authority = "<br>".join(
        f"<strong>{e(line)}</strong>" if i == 0 else e(line)
        for i, line in enumerate(letter.authority)
    )
    reference = "\n".join(
        f"<tr><td>{e(label)}:</td><td>{e(value)}</td></tr>" for label, value in letter.reference
    )
    address = "<br>".join(e(line) for line in letter.address)
    subject = "<br>\n".join(_runs(line) for line in letter.subject)
    sections = "\n".join(
        f"<h2>{e(s.heading)}</h2>\n" + "\n".join(_block(b) for b in s.blocks)
        for s in letter.sections
    )
    closing = "<br>".join(e(line) for line in letter.closing)
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{e(letter.title)} {e(letter.file_number)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<div>{authority}</div>
<table class="meta">
{reference}
</table>
</header>
<div class="address"><div class="return">{e(letter.return_address)}</div>
{address}</div>
<h1>{e(letter.title)}</h1>
<p>{subject}</p>
{sections}
<div class="signature">{closing}<br><br>{e(letter.signer)}</div>
</body>
</html>
"""
