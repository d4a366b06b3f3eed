printf -- "---\ntitle: Sivu\n---\nHyv\344\344 p\344iv\344\344.\n" > content/sivu.md
