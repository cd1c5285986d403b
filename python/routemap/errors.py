"""routemap.Error: a failed library call, with the library's one-line message."""

import re

# The CLI's exit codes (rm_status_exit_code) and what they mean.
EXIT_MEANINGS = {
    0: "success",
    1: "the map could not be made",
    2: "bad usage or bad input",
}

# "FILE:LINE:COL: key.path: what is wrong" (spec errors), "FILE:LINE: ..." (CSV)
_LOCATION = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+)(?::(?P<column>\d+))?: ")


class Error(Exception):
    """A routemap call failed.

    Attributes:
        message   -- the library's one-line message (what the CLI prints)
        status    -- the rm_status name: "spec", "io", "format", "no_path", ...
        exit_code -- the exit code the CLI gives for it (1 or 2)
        meaning   -- what that exit code means ("bad usage or bad input", ...)
        file, line, column -- where in the input, when the message names it
                     (line and column are ints, or None)
    """

    def __init__(self, message, status="usage", exit_code=2):
        super().__init__(message)
        self.message = message
        self.status = status
        self.exit_code = exit_code
        self.meaning = EXIT_MEANINGS.get(exit_code, "error")
        m = _LOCATION.match(message)
        self.file = m.group("file") if m else None
        self.line = int(m.group("line")) if m else None
        self.column = int(m.group("column")) if m and m.group("column") else None

    def __str__(self):
        return "%s [%s; exit code %d: %s]" % (self.message, self.status, self.exit_code,
                                              self.meaning)

    def __reduce__(self):  # picklable, so that Dask workers can send it back
        return (type(self), (self.message, self.status, self.exit_code))


class LibraryNotFound(Error, ImportError):
    """libroutemap.so could not be loaded; the message says how to build it."""

    def __init__(self, message, status="io", exit_code=2):
        Error.__init__(self, message, status, exit_code)
