"""Reading goals: a number of books or pages between two dates (`rules`), kept in the library
(`store`) and, with Hardcover connected, with the user's goals there (`hardcover.goals`)."""
