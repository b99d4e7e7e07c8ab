# Sourced by the scripts that drive the built launcher: sets $launcher to $LAUNCHER, else the first release
# build found (`make test`'s, then `make build`'s), else builds one. Run from the package root.
launcher=${LAUNCHER:-}
if [ -z "$launcher" ]; then
  for candidate in "$@"; do
    if [ -x "$candidate" ]; then launcher=$candidate; break; fi
  done
fi
if [ -z "$launcher" ]; then
  swift build -c release --product launcher
  launcher=.build/release/launcher
fi
