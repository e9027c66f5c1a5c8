-- The claim alone: every key and argument is the claim's.
return claim(KEYS, ARGV)
