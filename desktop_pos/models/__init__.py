"""The domain of desktop_pos: money, orders, VAT, payment methods and states, errors.

No Qt and no I/O here: everything in this package is plain data and arithmetic.
"""
