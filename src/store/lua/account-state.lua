-- The account state alone (account-state-fn.lua): KEYS its eight keys, ARGV its arguments.
return account_state(KEYS, ARGV)
