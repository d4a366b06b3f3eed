{ printf -- "---\ntitle: Iso\n---\n"; head -c 52428800 /dev/zero | tr "\\0" "a"; } > content/iso.md
