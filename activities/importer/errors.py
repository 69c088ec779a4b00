class SourceError(ValueError):
    """The source document does not read as the programme; says which line and why."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)
