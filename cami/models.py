from django.db import models


class DataRevision(models.Model):
    """A number that moves whenever a body of data (the programme) changes: cached answers built
    from that data carry it in their key, so every process and machine sees a change at once."""

    name = models.CharField(max_length=40, primary_key=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} {self.number}"


class WorkerHeartbeat(models.Model):
    """A task worker that is alive says so every few seconds: the tasks of one that stopped
    saying so go back in the queue for the others."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return self.worker_id
