#!/bin/sh
# Usage: matches_wc.sh WORDCOUNT
# Compares wordcount with wc(1) on generated inputs and on usage errors.
set -eu
app=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Mixed blanks, empty lines, a last line without '\n'.
i=0
while [ $i -lt 2000 ]; do
  printf 'word%d  two\tthree\n\n  lead and trail  \n' "$i"
  i=$((i + 1))
done > "$dir/in"
printf 'tail without newline' >> "$dir/in"
: > "$dir/empty"

for input in "$dir/in" "$dir/empty"; do
  want=$(wc -l -w -c < "$input" | awk '{print $1, $2, $3}')
  for block in 1 7 4096 65536; do
    got=$("$app" --block "$block" < "$input")
    if [ "$got" != "$want" ]; then
      echo "block $block: got '$got', want '$want'" >&2
      exit 1
    fi
  done
  got=$("$app" < "$input")
  [ "$got" = "$want" ] || { echo "default block: '$got' != '$want'" >&2; exit 1; }
done

# Bad usage exits 2 without reading.
for args in "--block 0" "--block 2000000" "--blocks 10" "--block x" "extra"; do
  # shellcheck disable=SC2086
  if "$app" $args < /dev/null > /dev/null 2>&1; then
    echo "accepted: $args" >&2
    exit 1
  else
    rc=$?
    [ $rc -eq 2 ] || { echo "$args: exit $rc, want 2" >&2; exit 1; }
  fi
done
echo "wordcount matches wc"
