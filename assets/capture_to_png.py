"""Renders `tmux capture-pane -e -p` output (text with SGR colour codes) to a PNG.

Used to make assets/screenshot.png from the real binary:
    tmux capture-pane -e -p -t SESSION > cap.txt
    python3 assets/capture_to_png.py cap.txt assets/screenshot.png
Needs Pillow and the DejaVu Sans Mono font.
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
BG, FG = (30, 30, 36), (215, 215, 215)
PALETTE = [
    (40, 40, 48), (224, 108, 117), (152, 195, 121), (229, 192, 123),
    (97, 175, 239), (198, 120, 221), (86, 182, 194), (200, 200, 200),
    (110, 110, 120), (240, 130, 140), (170, 215, 140), (240, 210, 140),
    (120, 190, 250), (215, 140, 235), (110, 200, 210), (255, 255, 255),
]

# Braille dots (the canvas map) drawn as dots: the monospace font lacks them.
# Bit n of the pattern is dot n+1: 1-3 and 7 down the left, 4-6 and 8 the right.
DOTS = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]

def braille(d, px, py, cw, ch, bits, fill):
    for n, (cx, cy) in enumerate(DOTS):
        if bits & (1 << n):
            x = px + cw * (0.3 + 0.4 * cx)
            y = py + ch * (0.14 + 0.24 * cy)
            d.ellipse([x - 1.2, y - 1.2, x + 1.2, y + 1.2], fill=fill)

def main(src, dst):
    font, bold = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(BOLD, SIZE)
    cw = int(font.getlength("M"))
    ch = SIZE + 4
    lines = open(src, encoding="utf-8").read().rstrip("\n").split("\n")
    cols = max(len(re.sub(r"\x1b\[[0-9;]*m", "", l)) for l in lines)
    img = Image.new("RGB", (cols * cw + 16, len(lines) * ch + 16), BG)
    d = ImageDraw.Draw(img)
    for y, line in enumerate(lines):
        fg, bg, is_bold, rev, under = FG, None, False, False, False
        x = 0
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
            if m:
                codes = [int(c) if c else 0 for c in m.group(1).split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, is_bold, rev, under = FG, None, False, False, False
                    elif c == 1:
                        is_bold = True
                    elif c == 4:
                        under = True
                    elif c == 7:
                        rev = True
                    elif c in (22,):
                        is_bold = False
                    elif c == 24:
                        under = False
                    elif c == 27:
                        rev = False
                    elif 30 <= c <= 37:
                        fg = PALETTE[c - 30]
                    elif 90 <= c <= 97:
                        fg = PALETTE[c - 90 + 8]
                    elif c == 39:
                        fg = FG
                    elif 40 <= c <= 47:
                        bg = PALETTE[c - 40]
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        col = PALETTE[codes[i + 2]] if codes[i + 2] < 16 else FG
                        if c == 38:
                            fg = col
                        else:
                            bg = col
                        i += 2
                    i += 1
                continue
            for chr_ in part:
                f, b = (fg, bg)
                if rev:
                    f, b = (bg or BG), fg
                px, py = 8 + x * cw, 8 + y * ch
                w = 2 if unicodedata.east_asian_width(chr_) in ("W", "F") else 1
                if b:
                    d.rectangle([px, py, px + cw * w, py + ch], fill=b)
                if 0x2800 <= ord(chr_) <= 0x28FF:
                    braille(d, px, py, cw, ch, ord(chr_) - 0x2800, f)
                else:
                    d.text((px, py + 1), chr_, font=bold if is_bold else font, fill=f)
                if under:
                    d.line([px, py + ch - 2, px + cw * w, py + ch - 2], fill=f)
                x += w
    img.save(dst)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
