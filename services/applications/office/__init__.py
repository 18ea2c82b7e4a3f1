"""The programme office's views: statistics, the CSV export, the Zuwendungsbescheid and
the list of regional bodies."""
