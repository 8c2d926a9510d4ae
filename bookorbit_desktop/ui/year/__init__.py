"""The Year page: the year in review, its share picture and the reading goals."""
