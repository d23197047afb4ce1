-- Branches (供电所, 抢修班, 营业厅, 计量所, 配电工区, departments) and the
-- territories they cover. Routing picks the most specific territory match.
CREATE TABLE branches (
  branch_id             text PRIMARY KEY,
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN (
                          'supply_station', 'repair_crew', 'business_hall', 'metering_office',
                          'distribution_district', 'marketing', 'discipline', 'inspection',
                          'dispatch_center')),
  parent_id             text REFERENCES branches (branch_id),
  duty_phone            text NOT NULL DEFAULT '',
  area_class            text NOT NULL CHECK (area_class IN ('urban', 'rural', 'remote')),
  arrival_limit_minutes integer NOT NULL CHECK (arrival_limit_minutes > 0),
  -- ticket types taken: repair, consultation, query, complaint, report, ...
  ticket_types          text[] NOT NULL DEFAULT '{}',
  -- work scopes taken (empty: any): public_network, meter_box, hv_metering,
  -- complaint categories, misconduct, theft
  fault_scopes          text[] NOT NULL DEFAULT '{}',
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- One row per covered area. `level` says how specific the match is; `value`
-- is the area's full path (province/city/county/...) or a feeder or
-- transformer-area id.
CREATE TABLE territories (
  branch_id text NOT NULL REFERENCES branches (branch_id) ON DELETE CASCADE,
  level     text NOT NULL CHECK (level IN (
              'province', 'city', 'county', 'township', 'village_or_community', 'feeder',
              'transformer_area')),
  value     text NOT NULL,
  PRIMARY KEY (branch_id, level, value)
);
CREATE INDEX territories_by_area ON territories (level, value);
