#!/usr/bin/env python3
"""Writes the test site: a page with 12 subresources (4 images, 4 scripts, 4 stylesheets) whose
load event writes a verdict into the DOM, so `chromium --dump-dom` shows whether all loaded."""
import base64
import os
import sys

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>hopwise e2e</title>
%(styles)s
</head><body>
<h1>hopwise end-to-end page</h1>
%(images)s
%(boxes)s
<pre id="result">PENDING</pre>
%(scripts)s
<script>
window.addEventListener('load', function () {
  var ok = 0, total = 0, missing = [];
  document.querySelectorAll('img').forEach(function (img) {
    total++; if (img.complete && img.naturalWidth > 0) ok++; else missing.push(img.src);
  });
  for (var i = 1; i <= 4; i++) {
    total++; if (window['script' + i] === true) ok++; else missing.push('script' + i);
    total++;
    var w = getComputedStyle(document.getElementById('box' + i)).width;
    if (w === (10 + i) + 'px') ok++; else missing.push('style' + i + '=' + w);
  }
  var verdict = (ok === total ? 'RESULT: OK ' : 'RESULT: FAIL ') + ok + '/' + total;
  document.getElementById('result').textContent = verdict + (missing.length ? ' missing ' + missing.join(' ') : '');
  document.title = verdict;
});
</script>
</body></html>
"""


def main(root):
    os.makedirs(root, exist_ok=True)
    for i in range(1, 5):
        with open(os.path.join(root, "img%d.png" % i), "wb") as f:
            f.write(PNG)
        with open(os.path.join(root, "script%d.js" % i), "w") as f:
            f.write("window.script%d = true;\n" % i)
        with open(os.path.join(root, "style%d.css" % i), "w") as f:
            f.write("#box%d { width: %dpx; height: 5px; background: #4a4; }\n" % (i, 10 + i))
    page = PAGE % {
        "styles": "\n".join('<link rel="stylesheet" href="style%d.css">' % i for i in range(1, 5)),
        "images": "\n".join('<img src="img%d.png" width="32" height="32" alt="img%d">' % (i, i) for i in range(1, 5)),
        "boxes": "\n".join('<div id="box%d"></div>' % i for i in range(1, 5)),
        "scripts": "\n".join('<script src="script%d.js"></script>' % i for i in range(1, 5)),
    }
    with open(os.path.join(root, "page.html"), "w") as f:
        f.write(page)


if __name__ == "__main__":
    main(sys.argv[1])
