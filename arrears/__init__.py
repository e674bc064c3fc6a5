"""Monthly wage-arrears reports (欠薪月报) of the enterprise unions, the zero report (零报告),
the responsibility letters, and the list of the reports not filed by their due day."""
