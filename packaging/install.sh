#!/bin/sh
# Install BookOrbit Desktop for this user (no root needed), or remove it again.
#
#   ./install.sh               copy the app to ~/.local/opt/bookorbit-desktop and add it to
#                              the desktop's app menu (desktop entry, icons, AppStream data)
#                              and `bookorbit-desktop` to ~/.local/bin
#   ./install.sh --uninstall   remove exactly what install.sh installed
#
# Your library, settings and logs (~/.local/share/bookorbit-desktop and
# ~/.local/state/bookorbit-desktop) are never touched by either.
# BOOKORBIT_INSTALL_DIR, XDG_DATA_HOME and BOOKORBIT_BIN_DIR change where things go.
set -eu

APP_ID=org.bookorbit.BookOrbitDesktop
HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR=${BOOKORBIT_INSTALL_DIR:-$HOME/.local/opt/bookorbit-desktop}
BIN_DIR=${BOOKORBIT_BIN_DIR:-$HOME/.local/bin}
MANIFEST="$APP_DIR/installed-files.txt"

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

refresh_caches() {
    # Menus and icon themes pick up changes by themselves on most desktops; these make it
    # immediate where the tools exist. Their failure never fails the install.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA_HOME/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" 2>/dev/null || true
    fi
    touch "$DATA_HOME/icons/hicolor" 2>/dev/null || true
}

uninstall() {
    if [ ! -f "$MANIFEST" ]; then
        echo "BookOrbit Desktop is not installed in $APP_DIR (no $MANIFEST); nothing to remove."
        return 0
    fi
    while IFS= read -r file; do
        case "$file" in
            "$BIN_DIR"/*) [ -L "$file" ] && rm -f "$file" ;;
            "$DATA_HOME"/*) rm -f "$file" ;;
            *) echo "install.sh: skipped $file (outside the folders install.sh writes to)" >&2 ;;
        esac
    done < "$MANIFEST"
    # Only the folders install.sh may have created, and only if nothing else is left in them.
    for size_dir in "$DATA_HOME"/icons/hicolor/*/apps; do
        [ -d "$size_dir" ] && rmdir "$size_dir" "${size_dir%/apps}" 2>/dev/null || true
    done
    rm -rf "$APP_DIR"
    refresh_caches
    echo "Removed BookOrbit Desktop from $APP_DIR and the app menu."
    echo "Your library and settings are kept in ${XDG_DATA_HOME:-$HOME/.local/share}/bookorbit-desktop."
    autostart="${XDG_CONFIG_HOME:-$HOME/.config}/autostart/$APP_ID.desktop"
    if [ -f "$autostart" ]; then
        echo "The start-at-login entry $autostart was made by the app's settings; delete it if you no longer want it."
    fi
}

# A path in a desktop entry's Exec key: quoted when it has spaces; characters that need
# escaping at two levels are refused rather than risked.
exec_path() {
    case "$1" in
        *'"'*|*'`'*|*'$'*|*'\'*|*'%'*|*'|'*|*'&'*|*"
"*) fail "the install folder $1 contains a character a desktop entry cannot hold (\" \` \$ \\ % | &); set BOOKORBIT_INSTALL_DIR to another folder" ;;
        *' '*|*"	"*|*"'"*|*'>'*|*'<'*|*'~'*|*';'*|*'*'*|*'?'*|*'#'*|*'('*|*')'*) printf '"%s"' "$1" ;;
        *) printf '%s' "$1" ;;
    esac
}

install_app() {
    case "$APP_DIR" in /*) ;; *) fail "BOOKORBIT_INSTALL_DIR must be an absolute path" ;; esac
    exe="$APP_DIR/bookorbit-desktop"
    quoted=$(exec_path "$exe")
    [ -x "$HERE/bookorbit-desktop/bookorbit-desktop" ] || fail "run install.sh from the unpacked BookOrbitDesktop folder (bookorbit-desktop/ is missing)"
    if [ -f "$MANIFEST" ]; then
        uninstall >/dev/null
    elif [ -e "$APP_DIR" ]; then
        fail "$APP_DIR exists but was not made by install.sh; move it away or set BOOKORBIT_INSTALL_DIR"
    fi
    staging="$APP_DIR.partial"
    rm -rf "$staging"
    mkdir -p "$(dirname "$APP_DIR")"
    cp -R "$HERE/bookorbit-desktop" "$staging"
    mv "$staging" "$APP_DIR"
    : > "$MANIFEST"

    entry="$DATA_HOME/applications/$APP_ID.desktop"
    mkdir -p "$DATA_HOME/applications"
    sed -e "s|^Exec=bookorbit-desktop |Exec=$quoted |" -e "s|^TryExec=.*|TryExec=$exe|" \
        "$HERE/share/applications/$APP_ID.desktop" > "$entry"
    echo "$entry" >> "$MANIFEST"

    mkdir -p "$DATA_HOME/metainfo"
    cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$DATA_HOME/metainfo/"
    echo "$DATA_HOME/metainfo/$APP_ID.metainfo.xml" >> "$MANIFEST"

    for icon in "$HERE"/share/icons/hicolor/*/apps/*; do
        relative=${icon#"$HERE/share/"}
        mkdir -p "$DATA_HOME/$(dirname "$relative")"
        cp "$icon" "$DATA_HOME/$relative"
        echo "$DATA_HOME/$relative" >> "$MANIFEST"
    done

    mkdir -p "$BIN_DIR"
    if [ -e "$BIN_DIR/bookorbit-desktop" ] && [ ! -L "$BIN_DIR/bookorbit-desktop" ]; then
        echo "install.sh: kept your own $BIN_DIR/bookorbit-desktop (not a link made by install.sh)" >&2
    else
        ln -sf "$exe" "$BIN_DIR/bookorbit-desktop"
        echo "$BIN_DIR/bookorbit-desktop" >> "$MANIFEST"
    fi
    refresh_caches
    echo "Installed BookOrbit Desktop in $APP_DIR."
    echo "Start it from your app menu (BookOrbit Desktop), or run: $exe"
}

case "${1:-}" in
    "") install_app ;;
    --uninstall) uninstall ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) fail "unknown option $1 (use --uninstall or --help)" ;;
esac
