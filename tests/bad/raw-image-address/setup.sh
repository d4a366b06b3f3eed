# A file name with a space, made here rather than committed.
printf 'PNG\n' >"content/Kajaani kuva.PNG"
