"""The user's tags: the rule for a tag's name (`names`, pure), reading and writing which books
carry which tags (`store`), and the journaled changes (`changes`: add and remove on books,
rename, merge, delete), each one undoable step.
"""
