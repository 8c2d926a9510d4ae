"""The Statistics page (reading time per day, week and month, a calendar heat map, streaks,
per-book time, pace and estimated finish) and a book's reading sessions in the book panel.

Charts are drawn with QPainter (`charts`, `heatmap`): a bar chart and a calendar are a few dozen
lines each, where QtCharts would add PySide6-Addons to the bundle. Data comes from
`services.statistics` only, read off the window's thread.
"""
