# The tour request wizard: checks added with the declarative wizard (issue 16)
tour-error-nights-dates = Your dates hold { $span ->
    [one] only { $span } night
   *[other] only { $span } nights
}, but the trip is to last at least { $nights }. Please choose fewer nights or wider dates.
tour-error-budget-max = Please type a budget of up to { $max }, or choose "No limit".
tour-error-budget-positive = The budget must be above zero: type the amount, for example 50000, or choose "No limit".
