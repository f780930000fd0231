"""Official statistics tables as they are published, read into one record model.

``read.read_source`` recognises the family of a file and hands it to its reader:

* ``ffcsv``: GENESIS flat files (Destatis, Regionaldatenbank, Länder), one value a row
  (``ffcsv_columns`` reads a plain one column by column, into ``model.RecordColumns``);
* ``genesis_table`` (with ``table_shape``): GENESIS table CSVs (IT.NRW's Landesdatenbank
  and the other statistics offices), title block, multi-row header, footer;
* ``excel`` (with ``workbook``): Excel workbooks, ``.xlsx`` and ``.xls``, read like the CSV
  of the same table, percent cells as percent values;
* ``wide``: tables with one header row, periods or measures as columns; ``opendatasoft``
  (CSV and JSON exports of the city's portal) and ``breitband`` (the Breitbandatlas) read
  through it.

All return a ``model.Table`` of ``model.Record`` s; ``signs`` reads value cells and the
GENESIS signs, ``times`` periods, ``regions`` Dortmund, its Stadtbezirke and other
regions, ``publishers`` who published a table. ``dortmund-kpi inspect`` shows the result.
"""
