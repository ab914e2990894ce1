# ActiveRecord writes its column types on SQLite, creates its own PostgreSQL tables, sqlite2pg copies (SCHEMA=none),
# ActiveRecord reads the rows back from PostgreSQL and compares them with what it reads from SQLite.
#
# Usage: ruby activerecord_roundtrip.rb SQLITE_FILE POSTGRES_URL (the database must exist and be empty)
require "active_record"
require "bigdecimal"
require "open3"

sqlite_path, pg_url = ARGV
ActiveRecord::Base.default_timezone = :utc
Time.zone_default = ActiveSupport::TimeZone["Europe/Paris"]

class Lite < ActiveRecord::Base
  self.abstract_class = true
end

class Pg < ActiveRecord::Base
  self.abstract_class = true
end

Lite.establish_connection(adapter: "sqlite3", database: sqlite_path)
Pg.establish_connection(pg_url)

def define_schema(conn, pg)
  conn.create_table :things do |t|
    t.boolean :flag
    t.date :day
    t.time :clock, precision: 6
    t.datetime :moment, precision: 6
    t.decimal :amount, precision: 12, scale: 4
    t.float :ratio
    t.json :doc
    t.bigint :big
    t.binary :raw
    t.integer :status
    pg ? t.uuid(:ident) : t.string(:ident)
    t.string :name, limit: 20
  end
end

define_schema(Lite.connection, false)
define_schema(Pg.connection, true)

class LiteThing < Lite
  self.table_name = "things"
  enum status: { draft: 0, published: 1 }
end

class PgThing < Pg
  self.table_name = "things"
  enum status: { draft: 0, published: 1 }
end

rows = [
  { flag: true, day: Date.new(2024, 2, 29), clock: "12:34:56.789012",
    moment: Time.utc(2024, 1, 15, 12, 34, 56, 123456), amount: BigDecimal("12345678.1234"), ratio: 0.1,
    doc: { "a" => [1, 2.5, "é"], "b" => nil }, big: 2**63 - 1, raw: "\x00\xff\x10".b, status: :published,
    ident: "12345678-1234-5678-1234-567812345678", name: "ünïcode" },
  { flag: false, day: Date.new(1, 1, 1), clock: "00:00:00", moment: Time.utc(1970, 1, 1),
    amount: BigDecimal("-0.0001"), ratio: -1.5e-300, doc: 123, big: -2**63, raw: "".b, status: :draft,
    ident: "00000000-0000-0000-0000-000000000000", name: "" },
  { clock: "23:59:59.999999", moment: Time.utc(9999, 12, 31, 23, 59, 59, 999999), amount: BigDecimal("99999999.9999"),
    doc: "a string" },
  {},
]
rows.each { |r| LiteThing.create!(r) }

env = { "SQLITE_PATH" => sqlite_path, "DATABASE_URL" => pg_url, "SCHEMA" => "none", "WAIT_TIMEOUT" => "10",
        "RUST_LOG" => "warn" }
_out, err, status = Open3.capture3(env, ENV.fetch("SQLITE2PG"), unsetenv_others: false)
unless status.exitstatus.zero?
  warn err
  abort "sqlite2pg exited #{status.exitstatus}, expected 0"
end

columns = LiteThing.column_names
read = lambda do |model|
  model.order(:id).map do |t|
    columns.map do |c|
      v = t.public_send(c)
      # a time is read as 2000-01-01 on both sides; compare its clock only
      c == "clock" && v ? v.strftime("%H:%M:%S.%6N") : v
    end
  end
end
lite_rows, pg_rows = read.call(LiteThing), read.call(PgThing)
abort "activerecord: #{lite_rows.size} rows in sqlite, #{pg_rows.size} in postgresql" unless lite_rows.size == pg_rows.size
bad = lite_rows.zip(pg_rows).reject { |a, b| a == b }
unless bad.empty?
  bad.each { |a, b| warn "  sqlite:     #{a.inspect}\n  postgresql: #{b.inspect}" }
  abort "activerecord: #{bad.size} row(s) differ"
end
raw_clock = Lite.connection.select_value("SELECT clock FROM things WHERE id = 1")
abort "activerecord wrote #{raw_clock.inspect} for a time, not on its dummy date" unless raw_clock.start_with?("2000-01-01 ")
next_id = PgThing.create!(flag: true).id
abort "the id sequence was not moved past the copied ids: #{next_id}" unless next_id == rows.size + 1
puts "activerecord: #{lite_rows.size} rows read back equal through the orm (time stored as #{raw_clock[0, 10]} hh:mm:ss)"
