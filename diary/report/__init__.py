"""The appointment summary: a PDF a prescriber can read in two minutes, and its printing.

``content`` reads the period from the service into plain data (dropping notes the person did
not choose to share), ``document`` lays out the pages, ``render`` paints them onto a PDF
writer, a printer or preview images: one painting path for all three.
"""
