# Shared by the gen-*.sh fixture scripts (sourced, after `set -euo pipefail`): the caller's first argument is the
# ggml source (a git clone of github.com/ggml-org/ggml or a plain source tree), copied into a temporary
# directory that is removed on exit, so nothing of ggml is kept.
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
src="${1:?usage: $0 PATH_TO_GGML (git clone or source tree)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# copy_ggml [PART…]: copies the named top-level parts of the source (all of it when none) into $tmp and sets
# $commit to the clone's HEAD (recorded in the fixture, so anyone can rebuild it from the same ggml).
copy_ggml() {
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    commit="$(git -C "$src" rev-parse HEAD)"
    git -C "$src" archive HEAD "$@" | tar -x -C "$tmp"
  else
    commit="unknown (source tree)"
    if (($#)); then
      for part in "$@"; do cp -r "$src/$part" "$tmp/"; done
    else
      cp -r "$src/." "$tmp/"
    fi
  fi
}

# with_provenance SCRIPT < JSON: the JSON object on stdin with "generator" and "ggmlCommit" as its first fields.
with_provenance() {
  printf '{\n  "generator": "scripts/ggml/%s",\n  "ggmlCommit": "%s",\n' "$1" "$commit"
  tail -n +2
}
