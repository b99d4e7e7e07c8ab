#!/usr/bin/env bash
# `make dist`: a launcher that travels to machines without Swift (Spark executors, Ray workers, batch nodes).
#
# The Swift standard library and Foundation are linked statically (--static-swift-stdlib). What the binary still
# loads at run time (OpenBLAS and its Fortran runtime, libpng, zlib, SQLite, the C++ runtime) is copied beside
# it, found through an rpath of $ORIGIN/../lib, so the executors need nothing but glibc (the build machine's
# version or newer). The tarball is reproducible (sorted names, fixed times and owners) and gets a .sha256 file.
#
# Output: dist/solutionkit-launcher-<version>-linux-<arch>.tar.gz and .sha256. The scratch folder .build-dist
# keeps this build apart from the ordinary release build.
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
scratch=.build-dist

# --disable-new-dtags writes DT_RPATH, which (unlike DT_RUNPATH) also applies to the libraries' own dependencies:
# OpenBLAS must find the bundled libgfortran too.
flags=(-c release --product launcher --static-swift-stdlib --scratch-path "$scratch"
       -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/../lib')
"$swift" build "${flags[@]}"
binary="$("$swift" build "${flags[@]}" --show-bin-path)/launcher"

if ldd "$binary" | grep -q 'libswift\|libFoundation'; then
  echo "dist: $binary still loads the Swift runtime:" >&2
  ldd "$binary" >&2
  exit 1
fi

version="$("$binary" --version | awk '{print $2}')"
name="solutionkit-launcher-$version-linux-$(uname -m)"
stage="dist/$name"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib"
cp "$binary" "$stage/bin/launcher"
strip "$stage/bin/launcher" 2>/dev/null || true

# Every shared library outside glibc's own set goes into lib/ under its soname.
glibc='^(linux-vdso|libc|libm|libpthread|libdl|librt|libresolv|libutil|ld-linux[-a-z0-9_]*)\.so'
ldd "$binary" | awk '/=> \// {print $1, $3}' | while read -r soname path; do
  if [[ ! "$soname" =~ $glibc ]]; then cp -L "$path" "$stage/lib/$soname"; fi
done

cat > "$stage/README.md" <<README
# SolutionKit launcher $version (Linux $(uname -m))

\`bin/launcher\` is self-contained: the Swift runtime is linked in, and the shared libraries it still needs are in
\`lib/\` (found through the binary's rpath, \`\$ORIGIN/../lib\`). The target needs glibc $(ldd --version | head -1 | awk '{print $NF}') or newer.

    tar -xzf $name.tar.gz && $name/bin/launcher --version

Bundled libraries: $(cd "$stage/lib" && ls | tr '\n' ' ')

To use the system's libraries instead, delete \`lib/\` and install on Debian/Ubuntu:

    apt-get install -y libopenblas0 libpng16-16 zlib1g libsqlite3-0 libgfortran5 libquadmath0 libstdc++6 libgcc-s1

Scaling out (shards, Spark, Ray): see "Scaling out" in the kit's README.
README

# The bundled copies must be what runs: every library outside glibc resolves inside the stage.
stage_path="$(cd "$stage" && pwd)"
outside="$(ldd "$stage/bin/launcher" | awk '/=>/ {print $1, $3}' | while read -r soname path; do
  if [[ ! "$soname" =~ $glibc ]] && [[ "$path" != "$stage_path/"* ]]; then echo "$soname => $path"; fi
done)"
if [ -n "$outside" ]; then echo "dist: libraries not taken from the tarball: $outside" >&2; exit 1; fi
"$stage/bin/launcher" --version

tarball="dist/$name.tar.gz"
tar --sort=name --mtime='2026-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -C dist -cf - "$name" | gzip -n -9 > "$tarball"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist: $tarball ($(du -h "$tarball" | cut -f1)), sha256 $(cut -d' ' -f1 "$tarball.sha256")"
