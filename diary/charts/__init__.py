"""Chart building shared by the Charts page and the PDF report.

``data`` holds ``ChartData``: plain numpy arrays and dated marks, built once per change by
``adapter.chart_data`` from the service. The builders (``main_view``, ``heatmap``,
``aligned``) take a ``ChartData`` and a ``ChartStyle`` and populate pyqtgraph items; they never
call the service, so the report can draw the same picture offscreen onto a QPainter.
"""
