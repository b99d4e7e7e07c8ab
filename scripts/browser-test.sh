#!/usr/bin/env bash
# The browser test of the run reports: runs every plugin on its sample (and credit-risk's gbdt recipe, for the
# tree charts), then loads each report.html in headless Chromium (Debian's chromium package, installed here when
# missing) and checks it with scripts/browser/check_report.py: no console error, no network request, every chart
# with its title, axis labels and data marks, no sideways scrolling at phone width, under 2 MB. Screenshots
# (desktop and phone width) go to $SCREENSHOTS (default .build-browser/screenshots; docs/screenshots to refresh
# the committed ones).
#
#   scripts/browser-test.sh                   # uses the release launcher of `make test`, else builds one
#   LAUNCHER=.build/debug/launcher SCREENSHOTS=docs/screenshots scripts/browser-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-test: installing chromium"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core
fi

# shellcheck source=scripts/find-launcher.sh
source scripts/find-launcher.sh .build-release-tests/release/launcher .build/release/launcher

runs=$(mktemp -d "${TMPDIR:-/tmp}/browser-test-runs.XXXXXX")
trap 'rm -rf "$runs"' EXIT

# name, launcher arguments, charts the page must show
cases=(
  "price-prediction|run price-prediction|training-curve,predicted-vs-actual,residuals,residuals-vs-predicted,feature-importance,shap-summary"
  "credit-risk|run credit-risk|roc,ks,calibration,score-distribution,information-value"
  "credit-risk-gbdt|run credit-risk --recipe gbdt|log-loss-by-round,roc,ks,calibration,score-distribution,feature-importance,shap-summary"
  "recommendation|run recommendation|training-curve,ranking-by-cutoff"
  "digit-recognition|run digit-recognition|training-curve,learning-rate,confusion-matrix,per-class,confident-errors"
)
pages=()
for entry in "${cases[@]}"; do
  IFS='|' read -r name arguments charts <<<"$entry"
  started=$(date +%s)
  # shellcheck disable=SC2086
  folder=$("$launcher" $arguments --out "$runs/$name" --quiet | sed -n 's/^run folder: //p')
  echo "browser-test: $name ran in $(( $(date +%s) - started )) s"
  pages+=("$name=$folder/report.html:$charts")
done

python3 scripts/browser/check_report.py --screenshots "${SCREENSHOTS:-.build-browser/screenshots}" "${pages[@]}"
