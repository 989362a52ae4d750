"""A daily refresh of the warehouse and its marts, switchable in the Dagster UI."""

import dagster as dg

from pipeline.defs.automation.jobs import refresh_warehouse

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_warehouse,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every morning at 06:00 Beijing time: reprocess what changed and rebuild the marts.",
)

schedules = [daily_refresh]
