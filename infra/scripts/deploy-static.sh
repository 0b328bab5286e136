#!/usr/bin/env bash
# Deploys the cabinet and the widget to the front door: builds widget/dist, uploads it to the
# stack's static bucket with its caching, and invalidates the two files whose URL never
# changes. The versioned files (app.js, app.css, charts.js, widget.js: the pages ask for them with
# ?v=<content hash>) are cached for a year; the loader for 5 minutes; index.html is
# revalidated on every load. CloudFront compresses (gzip, brotli) on the way out.
#
#   infra/scripts/deploy-static.sh [stack-name]     (default: beseda; needs the aws CLI)
set -euo pipefail

stack="${1:-beseda}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bucket="$(output StaticBucketName)"
distribution="$(output FrontDoorDistributionId)"
[ -n "$bucket" ] && [ "$bucket" != "None" ] || { echo "stack $stack has no StaticBucketName output" >&2; exit 1; }

(cd "$root/widget" && npm ci --no-audit --no-fund && npm run build)
dist="$root/widget/dist"

# The .gz/.br twins are for the local runner; CloudFront compresses on its own.
aws s3 sync "$dist/" "s3://$bucket/" --delete --exclude "*.gz" --exclude "*.br" --cache-control "public, max-age=300"
for file in cabinet/app.js cabinet/app.css cabinet/charts.js widget/widget.js; do
  aws s3 cp "$dist/$file" "s3://$bucket/$file" --cache-control "public, max-age=31536000, immutable"
done
aws s3 cp "$dist/cabinet/index.html" "s3://$bucket/cabinet/index.html" --cache-control "no-cache"
aws cloudfront create-invalidation --distribution-id "$distribution" \
  --paths /cabinet/index.html /widget/loader.js >/dev/null
echo "deployed widget/dist to s3://$bucket; the cabinet is at $(output FrontDoorUrl)"
