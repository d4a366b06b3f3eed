python3 -c "print(\"---\ntitle: Syvä\n---\n\" + \">\" * 40 + \" lainaus\")" > content/syva.md
