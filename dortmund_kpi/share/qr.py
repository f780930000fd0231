"""QR codes for permalinks (PNG for slides, SVG for print). No Streamlit here."""

from __future__ import annotations

import io

import segno


def qr_png(link: str, scale: int = 8) -> bytes:
    """A PNG QR code of ``link``, quiet zone included (error correction M)."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(link: str) -> bytes:
    """An SVG QR code of ``link`` that scales without loss for print."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=4, xmldecl=True, svgns=True, title=link[:200]
    )
    return buffer.getvalue()
