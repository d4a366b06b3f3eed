d=content; for i in 1 2 3; do d=$d/$(printf "%0200d" $i); done; mkdir -p "$d" && printf -- "---\ntitle: Syvä\n---\nTeksti.\n" > "$d/sivu.md"
