"""One router per concern; each calls the services and asks the ``rules`` predicates."""
