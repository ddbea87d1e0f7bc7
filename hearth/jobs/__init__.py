"""Background jobs: long work (imports, exports, reports) runs in a worker; web requests only enqueue and read.

See docs/adr/0010-background-jobs.md. The public surface:

    from hearth.jobs.registry import job_kind        # register a kind of job
    from hearth.jobs.queue import enqueue, cancel    # the write path (actions) for jobs
    hearth worker                                    # the process that runs them
"""
