#!/usr/bin/env bash
# The browser test of the run reports: runs every plugin on its sample (and credit-risk's gbdt recipe, for the
# tree charts), evaluates the price model and tunes a price ridge (the evaluate and tune folders' pages), then loads
# each report.html in headless Chromium (Debian's chromium package, installed here when missing) and checks it with
# scripts/browser/check_report.py: no console error, no network request, every chart with its title, axis labels
# and data marks, no sideways scrolling at phone width nor beyond an A4 page in print, under 2 MB. Screenshots
# (desktop and phone width) go to $SCREENSHOTS (default .build-browser/screenshots); $SCREENSHOT_SCALE (desktop
# ones only) and $SCREENSHOT_HEIGHT (CSS pixels of the page's top) make them smaller.
#
#   scripts/browser-test.sh                   # uses the release launcher of `make test`, else builds one
#   LAUNCHER=.build/debug/launcher scripts/browser-test.sh
#   SCREENSHOTS=docs/screenshots SCREENSHOT_SCALE=0.6 SCREENSHOT_HEIGHT=2000 scripts/browser-test.sh   # the committed ones
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

# name, launcher arguments (@NAME: the folder of an earlier case), charts the page must show
cases=(
  "price-prediction|run price-prediction|training-curve,predicted-vs-actual,residuals,residuals-vs-predicted,feature-importance,shap-summary"
  "credit-risk|run credit-risk|roc,ks,calibration,score-distribution,information-value"
  "credit-risk-gbdt|run credit-risk --recipe gbdt|log-loss-by-round,roc,ks,calibration,score-distribution,feature-importance,shap-summary"
  "recommendation|run recommendation|training-curve,ranking-by-cutoff"
  "digit-recognition|run digit-recognition|training-curve,learning-rate,confusion-matrix,per-class,confident-errors"
  "price-prediction-evaluate|evaluate --model @price-prediction/bundle --dataset sample|predicted-vs-actual,residuals,feature-importance,shap-summary"
  "price-prediction-tune|tune price-prediction --recipe ridge --budget 3 --folds 2|leaderboard,predicted-vs-actual,residuals"
)
declare -A folders
pages=()
for entry in "${cases[@]}"; do
  IFS='|' read -r name arguments charts <<<"$entry"
  for earlier in "${!folders[@]}"; do arguments=${arguments//@$earlier\//${folders[$earlier]}/}; done
  started=$(date +%s)
  # shellcheck disable=SC2086
  folder=$("$launcher" $arguments --out "$runs/$name" --quiet | sed -n -E 's/^(run|evaluation|tune) folder: //p')
  if [ -z "$folder" ] || [ ! -f "$folder/report.html" ]; then
    echo "browser-test: $name wrote no report.html (launcher $arguments)" >&2
    exit 1
  fi
  echo "browser-test: $name ran in $(( $(date +%s) - started )) s"
  folders[$name]=$folder
  pages+=("$name=$folder/report.html:$charts")
done

shots=(--screenshots "${SCREENSHOTS:-.build-browser/screenshots}" --screenshot-scale "${SCREENSHOT_SCALE:-1}")
if [ -n "${SCREENSHOT_HEIGHT:-}" ]; then shots+=(--screenshot-height "$SCREENSHOT_HEIGHT"); fi
python3 scripts/browser/check_report.py "${shots[@]}" "${pages[@]}"
