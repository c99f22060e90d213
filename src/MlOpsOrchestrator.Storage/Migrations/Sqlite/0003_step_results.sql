-- A step's typed result, as versioned JSON ({"version":1,"kind":"deploy","result":{...}}). NULL on rows written before
-- typed results: those are read from outputs, the flat string dictionary, which every row keeps writing as well, so a
-- process of the previous version sharing the database still reads the steps it finds.
ALTER TABLE steps ADD COLUMN result TEXT NULL;
