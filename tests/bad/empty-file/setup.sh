: > content/tyhja.md
