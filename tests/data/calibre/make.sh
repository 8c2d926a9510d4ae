#!/bin/sh
# Makes the calibre libraries the calibre import is tested against, with calibre itself
# (calibredb; the version used is in VERSION). Run from this folder: sh make.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
epub() { # epub FILE TITLE: a tiny valid EPUB
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
path, title = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(path, "w") as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
    z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
    z.writestr("content.opf", f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:identifier id="id">{title}</dc:identifier><dc:language>en</dc:language></metadata><manifest><item id="t" href="t.html" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="t"/></spine></package>')
    z.writestr("t.html", f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{title}</p></body></html>')
PY
}
lib="$here/library"
rm -rf "$lib"
mkdir -p "$lib"
epub "$work/dune.epub" "Dune"
epub "$work/emma.epub" "Emma"
epub "$work/plain.epub" "Plain"
/work/main/.venv/bin/python -c "from PIL import Image; Image.new('RGB', (60, 90), (200, 30, 30)).save('$work/cover.jpg')"
calibredb --with-library "$lib" add "$work/dune.epub" -t "Dune" -a "Frank Herbert" \
  -T "fiction.sf,classic" -s "Dune Chronicles" -S 1 -l eng \
  -I isbn:9780441013593 -I goodreads:234225 -I hardcover:dune -c "$work/cover.jpg"
calibredb --with-library "$lib" add "$work/emma.epub" -t "Emma" -a "Jane Austen & Anonymous Editor"
calibredb --with-library "$lib" add "$work/plain.epub" -t "Plain"
calibredb --with-library "$lib" set_metadata 1 -f "publisher:Chilton" -f "pubdate:1965-08-01" \
  -f "comments:<p>A <b>desert</b> planet.<script>x()</script></p>" -f "author_sort:Herbert, Frank" \
  -f "title_sort:Dune" -f "rating:4"
calibredb --with-library "$lib" set_metadata 2 -f "languages:eng,fra" -f "rating:5"
for spec in "read:Read:bool" "status:Status:enumeration" "notes:Notes:comments" \
    "pages:Pages:int" "score:Score:float" "stars:Stars:rating" "bought:Bought:datetime" \
    "shelf:Shelf:text" "moods:Moods:text:multiple" "saga:Saga:series" \
    "date_read:Date read:datetime"; do
  label=$(echo "$spec" | cut -d: -f1); name=$(echo "$spec" | cut -d: -f2)
  kind=$(echo "$spec" | cut -d: -f3); multiple=$(echo "$spec" | cut -d: -f4)
  if [ "$kind" = enumeration ]; then
    calibredb --with-library "$lib" add_custom_column --display '{"enum_values": ["To read", "Reading", "Done"]}' "$label" "$name" "$kind"
  elif [ -n "$multiple" ]; then
    calibredb --with-library "$lib" add_custom_column --is-multiple "$label" "$name" "$kind"
  else
    calibredb --with-library "$lib" add_custom_column "$label" "$name" "$kind"
  fi
done
set_custom() { calibredb --with-library "$lib" set_custom "$@"; }
set_custom read 1 true; set_custom read 2 false
set_custom status 1 Done; set_custom status 2 Reading
set_custom notes 1 "<p>Loved <i>it</i></p>"
set_custom pages 1 412; set_custom score 1 9.5; set_custom stars 1 6
set_custom bought 1 2020-03-04; set_custom shelf 1 "Living room"
set_custom moods 1 "dark,epic"; set_custom saga 1 "Arrakis [2]"
set_custom date_read 1 2021-05-06
# A broken library (a missing file) and a truncated metadata.db.
broken="$here/broken"
rm -rf "$broken"; cp -r "$lib" "$broken"
rm "$broken"/Jane*/Emma*/*.epub
rm -rf "$here/truncated"; mkdir "$here/truncated"
head -c 20000 "$lib/metadata.db" > "$here/truncated/metadata.db"
calibredb --version > "$here/VERSION"
