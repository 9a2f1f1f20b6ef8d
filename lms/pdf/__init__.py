"""PDF documents for every app: ``jobs`` builds a render job in the Django process, ``client``
hands it to this process's renderer child, ``engine`` is that child (WeasyPrint, no Django).
Why a child process: README, "Decisions"."""
