"""What every HTML blueprint shares: the language prefix, parameters, labels, template helpers, errors."""
