"""Reports for the agency's owner and accountant: figures computed in SQL for a period.

Each report module has one ``async def build(period: Period, rules: Rules) -> Report``; the
registry :data:`REPORTS` names them for the chat, the CLI and the API. A :class:`Report` is
rows (plain values, money in minor units beside its currency) plus a :class:`Chart`;
:mod:`core.reports.chart` renders the PNG and :mod:`core.reports.export` writes CSV / XLSX.
"""
