#!/bin/sh
# Checks the Debian/Ubuntu libraries Qt needs; installs them when it can (root + apt),
# otherwise stops with the exact command to run.  Usage: system-deps.sh run|test
set -u
mode=${1:-test}

# Qt imports even offscreen only with these (tests, CLI reports).
libs_core="libGL.so.1:libgl1 libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3"
# A real window (Qt's xcb platform) needs these as well.
libs_window="libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0 libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 libxcb-randr.so.0:libxcb-randr0 libxcb-xfixes.so.0:libxcb-xfixes0 libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0 libX11-xcb.so.1:libx11-xcb1"

[ "$(uname -s)" = Linux ] || exit 0
command -v ldconfig >/dev/null 2>&1 || PATH="$PATH:/sbin:/usr/sbin"

wanted="$libs_core"
[ "$mode" = run ] && wanted="$wanted $libs_window"

missing=""
for pair in $wanted; do
  lib=${pair%%:*}; pkg=${pair#*:}
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $pkg"
done
fc-list 2>/dev/null | grep -qi . || missing="$missing fonts-dejavu-core"
if [ "$mode" = test ]; then
  # The report tests check real PDFs with poppler and qpdf.
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
  command -v dbus-daemon >/dev/null 2>&1 || missing="$missing dbus-daemon dbus-bin"  # auto-lock tests
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system libraries Qt needs:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    && exit 0
  echo "Installing failed. Run: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Qt needs system libraries that are missing. Run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
