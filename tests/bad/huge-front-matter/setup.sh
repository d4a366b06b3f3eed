{ printf -- "---\ntitle: Iso\ndescription: \""; head -c 70000 /dev/zero | tr "\\0" "a"; printf "\"\n---\nTeksti.\n"; } > content/iso.md
