"""What every feature shares: texts (formatting, plain answers, errors), keyboard bits, and the
two routers outside any feature — `errors` (first) and `fallback` (last)."""
