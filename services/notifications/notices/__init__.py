"""What each event means to whom: the rules and the German and English texts."""
