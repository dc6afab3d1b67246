"""Draw a neutral stand-in 'photo' (river valley with hills) for the figure slot.

Vendored unchanged (apart from formatting) from the seed's placeholder_image.py.
"""

from PIL import Image, ImageDraw, ImageFilter


def make(path, w=1200, h=640):
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):  # sky gradient
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(150 + 70 * t), int(175 + 50 * t), int(205 + 30 * t)))
    d.polygon(
        [
            (0, 330),
            (180, 210),
            (330, 280),
            (520, 170),
            (700, 300),
            (880, 200),
            (1060, 290),
            (1200, 230),
            (1200, 640),
            (0, 640),
        ],
        fill=(112, 120, 96),
    )
    d.polygon(
        [(0, 420), (260, 360), (560, 410), (840, 350), (1200, 400), (1200, 640), (0, 640)],
        fill=(140, 138, 100),
    )
    d.polygon(
        [(0, 520), (400, 470), (800, 500), (1200, 455), (1200, 560), (800, 590), (400, 560), (0, 600)],
        fill=(96, 128, 150),
    )  # river
    for x in (430, 470, 505, 560):  # figures on the bank
        d.rectangle([x, 430, x + 14, 478], fill=(58, 62, 48))
        d.ellipse([x + 1, 414, x + 13, 428], fill=(58, 62, 48))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    img.save(path, "PNG", optimize=True)
    return path


if __name__ == "__main__":
    import sys

    make(sys.argv[1] if len(sys.argv) > 1 else "/tmp/placeholder.png")
