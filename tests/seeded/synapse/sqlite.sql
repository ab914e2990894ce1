PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version(
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    version INTEGER NOT NULL,
    upgraded BOOL NOT NULL,  -- Whether we reached this version from an upgrade or an initial schema.
    CHECK (Lock='X')
);
INSERT INTO schema_version VALUES('X',94,1);
CREATE TABLE schema_compat_version(
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    -- The SCHEMA_VERSION of the oldest synapse this database can be used with
    compat_version INTEGER NOT NULL,
    CHECK (Lock='X')
);
INSERT INTO schema_compat_version VALUES('X',84);
CREATE TABLE applied_schema_deltas(
    version INTEGER NOT NULL,
    file TEXT NOT NULL,
    UNIQUE(version, file)
);
INSERT INTO applied_schema_deltas VALUES(73,'73/01event_failed_pull_attempts.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/02add_pusher_enabled.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/02room_id_indexes_for_purging.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/03pusher_device_id.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/03users_approved_column.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/04partial_join_details.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/04pending_device_list_updates.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/05old_push_actions.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(73,'73/06thread_notifications_thread_id_idx.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/08thread_receipts_non_null.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(73,'73/09partial_joined_via_destination.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/09threads_table.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/10_update_sqlite_fts4_tokenizer.py');
INSERT INTO applied_schema_deltas VALUES(73,'73/10login_tokens.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/12refactor_device_list_outbound_pokes.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/13add_device_lists_index.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/20_un_partial_stated_room_stream.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/22_rebuild_user_dir_stats.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/22_un_partial_stated_event_stream.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/23_fix_thread_index.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/24_events_jump_to_date_index.sql');
INSERT INTO applied_schema_deltas VALUES(73,'73/25drop_presence.sql');
INSERT INTO applied_schema_deltas VALUES(74,'74/01_user_directory_stale_remote_users.sql');
INSERT INTO applied_schema_deltas VALUES(74,'74/02_set_device_id_for_pushers_bg_update.sql');
INSERT INTO applied_schema_deltas VALUES(74,'74/03_membership_tables_event_stream_ordering.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(74,'74/03_room_membership_index.sql');
INSERT INTO applied_schema_deltas VALUES(74,'74/04_delete_e2e_backup_keys_for_deactivated_users.sql');
INSERT INTO applied_schema_deltas VALUES(74,'74/04_membership_tables_event_stream_ordering_triggers.py');
INSERT INTO applied_schema_deltas VALUES(74,'74/05_events_txn_id_device_id.sql');
INSERT INTO applied_schema_deltas VALUES(76,'76/01_add_profiles_full_user_id_column.sql');
INSERT INTO applied_schema_deltas VALUES(76,'76/02_add_user_filters_full_user_id_column.sql');
INSERT INTO applied_schema_deltas VALUES(76,'76/03_per_user_experimental_features.sql');
INSERT INTO applied_schema_deltas VALUES(76,'76/04_add_room_forgetter.sql');
INSERT INTO applied_schema_deltas VALUES(77,'77/03bg_populate_full_user_id_profiles.sql');
INSERT INTO applied_schema_deltas VALUES(77,'77/04bg_populate_full_user_id_user_filters.sql');
INSERT INTO applied_schema_deltas VALUES(77,'77/05thread_notifications_backfill.sql');
INSERT INTO applied_schema_deltas VALUES(77,'77/06thread_notifications_not_null.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(77,'77/14bg_indices_event_stream_ordering.sql');
INSERT INTO applied_schema_deltas VALUES(78,'78/01_validate_and_update_profiles.py');
INSERT INTO applied_schema_deltas VALUES(78,'78/02_validate_and_update_user_filters.py');
INSERT INTO applied_schema_deltas VALUES(78,'78/03_remove_unused_indexes_user_filters.py');
INSERT INTO applied_schema_deltas VALUES(78,'78/03event_extremities_constraints.py');
INSERT INTO applied_schema_deltas VALUES(78,'78/04_add_full_user_id_index_user_filters.py');
INSERT INTO applied_schema_deltas VALUES(79,'79/03_read_write_locks_triggers.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(79,'79/04_mitigate_stream_ordering_update_race.py');
INSERT INTO applied_schema_deltas VALUES(79,'79/05_read_write_locks_triggers.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(80,'80/01_users_alter_locked.sql');
INSERT INTO applied_schema_deltas VALUES(80,'80/02_scheduled_tasks.sql');
INSERT INTO applied_schema_deltas VALUES(82,'82/02_scheduled_tasks_index.sql');
INSERT INTO applied_schema_deltas VALUES(82,'82/04_add_indices_for_purging_rooms.sql');
INSERT INTO applied_schema_deltas VALUES(82,'82/05gaps.sql');
INSERT INTO applied_schema_deltas VALUES(83,'83/01_drop_old_tables.sql');
INSERT INTO applied_schema_deltas VALUES(83,'83/03_instance_name_receipts.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(83,'83/05_cross_signing_key_update_grant.sql');
INSERT INTO applied_schema_deltas VALUES(83,'83/06_event_push_summary_room.sql');
INSERT INTO applied_schema_deltas VALUES(84,'84/02_auth_links_index.sql');
INSERT INTO applied_schema_deltas VALUES(84,'84/04_access_token_index.sql');
INSERT INTO applied_schema_deltas VALUES(85,'85/01_add_suspended.sql');
INSERT INTO applied_schema_deltas VALUES(85,'85/02_add_instance_names.sql');
INSERT INTO applied_schema_deltas VALUES(85,'85/04_cleanup_device_federation_outbox.sql');
INSERT INTO applied_schema_deltas VALUES(85,'85/05_add_instance_names_converted_pos.sql');
INSERT INTO applied_schema_deltas VALUES(85,'85/06_add_room_reports.sql');
INSERT INTO applied_schema_deltas VALUES(86,'86/01_authenticate_media.sql');
INSERT INTO applied_schema_deltas VALUES(86,'86/02_receipts_event_id_index.sql');
INSERT INTO applied_schema_deltas VALUES(87,'87/01_sliding_sync_memberships.sql');
INSERT INTO applied_schema_deltas VALUES(87,'87/02_per_connection_state.sql');
INSERT INTO applied_schema_deltas VALUES(87,'87/03_current_state_index.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/01_add_delayed_events.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/01_custom_profile_fields.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/02_fix_sliding_sync_membership_snapshots_forgotten_column.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/03_add_otk_ts_added_index.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/04_current_state_delta_index.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/05_drop_old_otks.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(88,'88/05_sliding_sync_room_config_index.sql');
INSERT INTO applied_schema_deltas VALUES(88,'88/06_events_received_ts_index.sql');
INSERT INTO applied_schema_deltas VALUES(89,'89/01_sliding_sync_membership_snapshot_index.sql');
INSERT INTO applied_schema_deltas VALUES(89,'89/01_state_groups_deletion.sql');
INSERT INTO applied_schema_deltas VALUES(90,'90/01_add_column_participant_room_memberships_table.sql');
INSERT INTO applied_schema_deltas VALUES(90,'90/02_delete_unreferenced_state_groups.sql');
INSERT INTO applied_schema_deltas VALUES(90,'90/03_remove_old_deletion_bg_update.sql');
INSERT INTO applied_schema_deltas VALUES(91,'91/01_media_hash.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/01_remove_trigger.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(92,'92/02_remove_populate_participant_bg_update.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/04_ss_membership_snapshot_idx.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/04_thread_subscriptions.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/05_fixup_max_depth_cap.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/06_device_federation_inbox_index.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/07_add_user_reports.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/07_event_txn_id_device_id_txn_id2.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/08_room_ban_redactions.sql');
INSERT INTO applied_schema_deltas VALUES(92,'92/09_thread_subscriptions_update.sql');
INSERT INTO applied_schema_deltas VALUES(93,'93/01_add_delayed_events.sql');
INSERT INTO applied_schema_deltas VALUES(93,'93/01_sticky_events.sql');
INSERT INTO applied_schema_deltas VALUES(93,'93/02_sliding_sync_members.sql');
INSERT INTO applied_schema_deltas VALUES(93,'93/03_sss_pos_last_used.sql');
INSERT INTO applied_schema_deltas VALUES(93,'93/04_make_delayed_event_content_text.py');
INSERT INTO applied_schema_deltas VALUES(94,'94/01_redactions_recheck.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/01_state_groups_persisting_inserted_ts.sql.sqlite');
INSERT INTO applied_schema_deltas VALUES(94,'94/02_redactions_recheck_bg_update.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/03_device_lists_room_timestamp.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/03_quarantined_media_tracking.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/03_state_dag_fwd_extrems.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/04_device_lists_changes_max_pruned.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/05_rerun_flag_existing_quarantined_media.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/06_sliding_sync_connections_last_used_ts_index.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/07_profile_updates.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/07_sliding_sync_lazy_members_position_index.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/08_device_lists_changes_in_room_unconverted_idx.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/09_e2e_cross_signing_signatures_index.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/10_e2e_cross_signing_signatures_add_key_id_to_index.sql');
INSERT INTO applied_schema_deltas VALUES(94,'94/11_destination_room_sticky_events.sql');
CREATE TABLE applied_module_schemas(
    module_name TEXT NOT NULL,
    file TEXT NOT NULL,
    UNIQUE(module_name, file)
);
CREATE TABLE background_updates (
    update_name text NOT NULL,
    progress_json text NOT NULL,
    depends_on text, ordering INT NOT NULL DEFAULT 0,
    CONSTRAINT background_updates_uniqueness UNIQUE (update_name)
);
CREATE TABLE application_services_txns( as_id TEXT NOT NULL, txn_id INTEGER NOT NULL, event_ids TEXT NOT NULL, UNIQUE(as_id, txn_id) );
CREATE TABLE users( name TEXT, password_hash TEXT, creation_ts BIGINT, admin SMALLINT DEFAULT 0 NOT NULL, upgrade_ts BIGINT, is_guest SMALLINT DEFAULT 0 NOT NULL, appservice_id TEXT, consent_version TEXT, consent_server_notice_sent TEXT, user_type TEXT DEFAULT NULL, deactivated SMALLINT DEFAULT 0 NOT NULL, shadow_banned BOOLEAN, consent_ts bigint, approved BOOLEAN, locked BOOLEAN DEFAULT FALSE NOT NULL, suspended BOOLEAN DEFAULT FALSE NOT NULL, UNIQUE(name) );
INSERT INTO users VALUES('@alice:test.local','$2b$12$Cp0g2YkPMSC1n1/vg2XqzeghnVLoPPaZXNScCGHcEw/eBAONf0d1.',1796220102,1,NULL,0,NULL,NULL,NULL,NULL,0,0,NULL,1,0,0);
CREATE TABLE user_ips ( user_id TEXT NOT NULL, access_token TEXT NOT NULL, device_id TEXT, ip TEXT NOT NULL, user_agent TEXT NOT NULL, last_seen BIGINT NOT NULL );
INSERT INTO user_ips VALUES('@alice:test.local','syt_YWxpY2U_gMgRPsuszwoHxayFwiJA_2dse9q','KLQLCAOMXW','127.0.0.1','Python-urllib/3.11',1796220103480);
CREATE TABLE profiles( user_id TEXT NOT NULL, displayname TEXT, avatar_url TEXT, full_user_id TEXT, fields JSONB, UNIQUE(user_id) );
INSERT INTO profiles VALUES('alice','alice',NULL,'@alice:test.local',NULL);
CREATE TABLE received_transactions( transaction_id TEXT, origin TEXT, ts BIGINT, response_code INTEGER, response_json bytea, has_been_referenced smallint default 0, UNIQUE (transaction_id, origin) );
CREATE TABLE destinations( destination TEXT PRIMARY KEY, retry_last_ts BIGINT, retry_interval INTEGER , failure_ts BIGINT, last_successful_stream_ordering BIGINT);
CREATE TABLE events( stream_ordering INTEGER PRIMARY KEY, topological_ordering BIGINT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, room_id TEXT NOT NULL, content TEXT, unrecognized_keys TEXT, processed BOOL NOT NULL, outlier BOOL NOT NULL, depth BIGINT DEFAULT 0 NOT NULL, origin_server_ts BIGINT, received_ts BIGINT, sender TEXT, contains_url BOOLEAN, instance_name TEXT, state_key TEXT DEFAULT NULL, rejection_reason TEXT DEFAULT NULL, UNIQUE (event_id) );
INSERT INTO events VALUES(2,1,'$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.create','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,1,1796220103486,1796220103520,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(3,2,'$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','m.room.member','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,2,1796220103573,1796220103603,'@alice:test.local',0,'master','@alice:test.local',NULL);
INSERT INTO events VALUES(4,3,'$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','m.room.power_levels','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,3,1796220103692,1796220103766,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(5,4,'$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','m.room.join_rules','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,4,1796220103719,1796220103766,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(6,5,'$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','m.room.history_visibility','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,5,1796220103725,1796220103766,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(7,6,'$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','m.room.guest_access','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,6,1796220103726,1796220103766,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(8,7,'$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','m.room.name','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,7,1796220103726,1796220103766,'@alice:test.local',0,'master','',NULL);
INSERT INTO events VALUES(9,8,'$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','m.room.message','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,NULL,1,0,8,1796220103840,1796220103852,'@alice:test.local',0,'master',NULL,NULL);
CREATE TABLE event_json( event_id TEXT NOT NULL, room_id TEXT NOT NULL, internal_metadata TEXT NOT NULL, json TEXT NOT NULL, format_version INTEGER, UNIQUE (event_id) );
INSERT INTO event_json VALUES('$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"pq8Q4D3pDCfoLyQEhANfi14xj5Wvwm6qe/WhHY7ja74vsARdzt76mcizk+DzyylwWMAY2XkwYOLwZoqJprEFBA"}},"unsigned":{"age_ts":1796220103486},"auth_events":[],"prev_events":[],"content":{"room_version":"12"},"depth":1,"hashes":{"sha256":"YRy4T+2Zk6sYy1A1HLDFl+4pSnNGg+2dKab5KTH0+XY"},"origin_server_ts":1796220103486,"sender":"@alice:test.local","state_key":"","type":"m.room.create"}',4);
INSERT INTO event_json VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"tA8wO3+if/Pt7y8G02R4Bcrc29Dyn3HBwPHBry8ERDHGulPMOfqd9opAs8NzqTa6idMjtBU08yATUitpp9MTCA"}},"unsigned":{"age_ts":1796220103573},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":[],"prev_events":["$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M"],"content":{"displayname":"alice","membership":"join"},"depth":2,"hashes":{"sha256":"ozkQXlSzKJ54h6A5nv3podQBmrrt5E530ENPoVtRwZ0"},"origin_server_ts":1796220103573,"sender":"@alice:test.local","state_key":"@alice:test.local","type":"m.room.member"}',4);
INSERT INTO event_json VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"YtPWZQ3/iElsi34a1dM4uXgQgQtFejkmzQdX/popkJnrv48lSHa92HocKSbPSP6KalD94GcbpIxyplVI8AnsDw"}},"unsigned":{"age_ts":1796220103692},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"content":{"ban":50,"events":{"m.room.avatar":50,"m.room.canonical_alias":50,"m.room.encryption":100,"m.room.history_visibility":100,"m.room.name":50,"m.room.power_levels":100,"m.room.server_acl":100,"m.room.tombstone":150},"events_default":0,"historical":100,"invite":0,"kick":50,"redact":50,"state_default":50,"users":{},"users_default":0},"depth":3,"hashes":{"sha256":"6+nRkwK5A4dC/D+4G61Q5y7MOeo3KfExKwpAuo8DEck"},"origin_server_ts":1796220103692,"sender":"@alice:test.local","state_key":"","type":"m.room.power_levels"}',4);
INSERT INTO event_json VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"FhoacQ2XHUxczLrg5WbkYm95REEgOlccCXS0hNitLXwqrzc8Lui0VhRE2wBX6w9a52/Uu5r9Uv68lBfLHpt4AA"}},"unsigned":{"age_ts":1796220103719},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A","$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A"],"content":{"join_rule":"invite"},"depth":4,"hashes":{"sha256":"vjOZwYtQyZ87ls1PZYa8A9fle1BdKEF3nfvWXrc0vbs"},"origin_server_ts":1796220103719,"sender":"@alice:test.local","state_key":"","type":"m.room.join_rules"}',4);
INSERT INTO event_json VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"peoSJytMZMJefXxwj975RIDEgWclliIEQtO7kGm6q7+yv3ZBU/sQzbwiuGdTr8czLZY1ilqjTTz0O7yJaACqDA"}},"unsigned":{"age_ts":1796220103725},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A","$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA"],"content":{"history_visibility":"shared"},"depth":5,"hashes":{"sha256":"UC4gPKgUXpARAmI5i7RSMGa8Df2szaLgFIcpiHwGFqg"},"origin_server_ts":1796220103725,"sender":"@alice:test.local","state_key":"","type":"m.room.history_visibility"}',4);
INSERT INTO event_json VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"umMj1dlK77XEtuw5c2SsIGc2qGlreKt0puKAopslTE+N/Ul4xst/e1Zli8mUhi2dwSDpagzl7gABFLGmA76BBg"}},"unsigned":{"age_ts":1796220103726},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A","$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM"],"content":{"guest_access":"can_join"},"depth":6,"hashes":{"sha256":"9fXm+ZQysnWjPWi8s4C2adsRVGx67hzKz8LgD5JyniE"},"origin_server_ts":1796220103726,"sender":"@alice:test.local","state_key":"","type":"m.room.guest_access"}',4);
INSERT INTO event_json VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"KPSpRxdbP7kc/6TD9vqzV6Re4EZsjJYXemer6DY1+XWJXHC003AEg5RgLrHXbw133Z+x6IZ2Hmyw0FPd1+rLCA"}},"unsigned":{"age_ts":1796220103726},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A","$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc"],"content":{"name":"fixture"},"depth":7,"hashes":{"sha256":"FPSdHlLfZTlc6WjkY/ogGNxtvEM5ZzkmKbpdLxjH3X0"},"origin_server_ts":1796220103726,"sender":"@alice:test.local","state_key":"","type":"m.room.name"}',4);
INSERT INTO event_json VALUES('$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','{"device_id":"KLQLCAOMXW","txn_id":"txn1"}','{"signatures":{"test.local":{"ed25519:a_ONKE":"fcHFOV/Rf3MjnvGqW8JmEUlBfHO0R++tqChS7hNKMESjE55QJxHEjkaldCjZw4PlaGlA4EYtmGvyZql4jC6PDg"}},"unsigned":{"age_ts":1796220103840},"room_id":"!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M","auth_events":["$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A","$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk"],"prev_events":["$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA"],"content":{"body":"hello","msgtype":"m.text"},"depth":8,"hashes":{"sha256":"dn91Sgm9Xfg2oRLXbNHjP9W3WEbfloQK5loOppDE3s0"},"origin_server_ts":1796220103840,"sender":"@alice:test.local","type":"m.room.message"}',4);
CREATE TABLE state_events( event_id TEXT NOT NULL, room_id TEXT NOT NULL, type TEXT NOT NULL, state_key TEXT NOT NULL, prev_state TEXT, UNIQUE (event_id) );
INSERT INTO state_events VALUES('$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.create','',NULL);
INSERT INTO state_events VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.member','@alice:test.local',NULL);
INSERT INTO state_events VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.power_levels','',NULL);
INSERT INTO state_events VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.join_rules','',NULL);
INSERT INTO state_events VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.history_visibility','',NULL);
INSERT INTO state_events VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.guest_access','',NULL);
INSERT INTO state_events VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.name','',NULL);
CREATE TABLE current_state_events( event_id TEXT NOT NULL, room_id TEXT NOT NULL, type TEXT NOT NULL, state_key TEXT NOT NULL, membership TEXT, event_stream_ordering BIGINT REFERENCES events(stream_ordering), UNIQUE (event_id), UNIQUE (room_id, type, state_key) );
INSERT INTO current_state_events VALUES('$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.create','',NULL,2);
INSERT INTO current_state_events VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.member','@alice:test.local','join',3);
INSERT INTO current_state_events VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.name','',NULL,8);
INSERT INTO current_state_events VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.guest_access','',NULL,7);
INSERT INTO current_state_events VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.history_visibility','',NULL,6);
INSERT INTO current_state_events VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.join_rules','',NULL,5);
INSERT INTO current_state_events VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.power_levels','',NULL,4);
CREATE TABLE room_memberships( event_id TEXT NOT NULL, user_id TEXT NOT NULL, sender TEXT NOT NULL, room_id TEXT NOT NULL, membership TEXT NOT NULL, forgotten INTEGER DEFAULT 0, display_name TEXT, avatar_url TEXT, event_stream_ordering BIGINT REFERENCES events(stream_ordering), participant BOOLEAN DEFAULT FALSE, UNIQUE (event_id) );
INSERT INTO room_memberships VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','@alice:test.local','@alice:test.local','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','join',0,'alice',NULL,3,1);
CREATE TABLE rooms( room_id TEXT PRIMARY KEY NOT NULL, is_public BOOL, creator TEXT , room_version TEXT, has_auth_chain_index BOOLEAN);
INSERT INTO rooms VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',0,'@alice:test.local','12',1);
CREATE TABLE server_signature_keys( server_name TEXT, key_id TEXT, from_server TEXT, ts_added_ms BIGINT, verify_key bytea, ts_valid_until_ms BIGINT, UNIQUE (server_name, key_id) );
CREATE TABLE rejections( event_id TEXT NOT NULL, reason TEXT NOT NULL, last_check TEXT NOT NULL, UNIQUE (event_id) );
CREATE TABLE push_rules ( id BIGINT PRIMARY KEY, user_name TEXT NOT NULL, rule_id TEXT NOT NULL, priority_class SMALLINT NOT NULL, priority INTEGER NOT NULL DEFAULT 0, conditions TEXT NOT NULL, actions TEXT NOT NULL, UNIQUE(user_name, rule_id) );
CREATE TABLE push_rules_enable ( id BIGINT PRIMARY KEY, user_name TEXT NOT NULL, rule_id TEXT NOT NULL, enabled SMALLINT, UNIQUE(user_name, rule_id) );
CREATE TABLE event_backward_extremities( event_id TEXT NOT NULL, room_id TEXT NOT NULL, UNIQUE (event_id, room_id) );
CREATE TABLE room_depth( room_id TEXT NOT NULL, min_depth INTEGER NOT NULL, UNIQUE (room_id) );
INSERT INTO room_depth VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',1);
CREATE TABLE event_to_state_groups( event_id TEXT NOT NULL, state_group BIGINT NOT NULL, UNIQUE (event_id) );
INSERT INTO event_to_state_groups VALUES('$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',2);
INSERT INTO event_to_state_groups VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk',3);
INSERT INTO event_to_state_groups VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A',4);
INSERT INTO event_to_state_groups VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA',5);
INSERT INTO event_to_state_groups VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM',6);
INSERT INTO event_to_state_groups VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc',7);
INSERT INTO event_to_state_groups VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA',8);
INSERT INTO event_to_state_groups VALUES('$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA',8);
CREATE TABLE local_media_repository ( media_id TEXT, media_type TEXT, media_length INTEGER, created_ts BIGINT, upload_name TEXT, user_id TEXT, quarantined_by TEXT, url_cache TEXT, last_access_ts BIGINT, safe_from_quarantine BOOLEAN NOT NULL DEFAULT 0, authenticated BOOLEAN DEFAULT FALSE NOT NULL, sha256 TEXT, UNIQUE (media_id) );
CREATE TABLE remote_media_cache ( media_origin TEXT, media_id TEXT, media_type TEXT, created_ts BIGINT, upload_name TEXT, media_length INTEGER, filesystem_id TEXT, last_access_ts BIGINT, quarantined_by TEXT, authenticated BOOLEAN DEFAULT FALSE NOT NULL, sha256 TEXT, UNIQUE (media_origin, media_id) );
CREATE TABLE redactions ( event_id TEXT NOT NULL, redacts TEXT NOT NULL, have_censored BOOL NOT NULL DEFAULT false, received_ts BIGINT, recheck boolean NOT NULL DEFAULT true, UNIQUE (event_id) );
CREATE TABLE room_aliases( room_alias TEXT NOT NULL, room_id TEXT NOT NULL, creator TEXT, UNIQUE (room_alias) );
CREATE TABLE room_alias_servers( room_alias TEXT NOT NULL, server TEXT NOT NULL );
CREATE TABLE IF NOT EXISTS "server_keys_json" ( server_name TEXT NOT NULL, key_id TEXT NOT NULL, from_server TEXT NOT NULL, ts_added_ms BIGINT NOT NULL, ts_valid_until_ms BIGINT NOT NULL, key_json bytea NOT NULL, CONSTRAINT server_keys_json_uniqueness UNIQUE (server_name, key_id, from_server) );
CREATE TABLE e2e_device_keys_json ( user_id TEXT NOT NULL, device_id TEXT NOT NULL, ts_added_ms BIGINT NOT NULL, key_json TEXT NOT NULL, CONSTRAINT e2e_device_keys_json_uniqueness UNIQUE (user_id, device_id) );
CREATE TABLE e2e_one_time_keys_json ( user_id TEXT NOT NULL, device_id TEXT NOT NULL, algorithm TEXT NOT NULL, key_id TEXT NOT NULL, ts_added_ms BIGINT NOT NULL, key_json TEXT NOT NULL, CONSTRAINT e2e_one_time_keys_json_uniqueness UNIQUE (user_id, device_id, algorithm, key_id) );
CREATE TABLE IF NOT EXISTS "user_threepids" ( user_id TEXT NOT NULL, medium TEXT NOT NULL, address TEXT NOT NULL, validated_at BIGINT NOT NULL, added_at BIGINT NOT NULL, CONSTRAINT medium_address UNIQUE (medium, address) );
CREATE TABLE room_tags( user_id TEXT NOT NULL, room_id TEXT NOT NULL, tag     TEXT NOT NULL, content TEXT NOT NULL, CONSTRAINT room_tag_uniqueness UNIQUE (user_id, room_id, tag) );
CREATE TABLE room_tags_revisions ( user_id TEXT NOT NULL, room_id TEXT NOT NULL, stream_id BIGINT NOT NULL, instance_name TEXT, CONSTRAINT room_tag_revisions_uniqueness UNIQUE (user_id, room_id) );
CREATE TABLE account_data( user_id TEXT NOT NULL, account_data_type TEXT NOT NULL, stream_id BIGINT NOT NULL, content TEXT NOT NULL, instance_name TEXT, CONSTRAINT account_data_uniqueness UNIQUE (user_id, account_data_type) );
CREATE TABLE room_account_data( user_id TEXT NOT NULL, room_id TEXT NOT NULL, account_data_type TEXT NOT NULL, stream_id BIGINT NOT NULL, content TEXT NOT NULL, instance_name TEXT, CONSTRAINT room_account_data_uniqueness UNIQUE (user_id, room_id, account_data_type) );
CREATE TABLE presence_stream( stream_id BIGINT, user_id TEXT, state TEXT, last_active_ts BIGINT, last_federation_update_ts BIGINT, last_user_sync_ts BIGINT, status_msg TEXT, currently_active BOOLEAN , instance_name TEXT);
INSERT INTO presence_stream VALUES(2,'@alice:test.local','offline',1796220103880,1796220103883,0,NULL,0,'master');
CREATE TABLE push_rules_stream( stream_id BIGINT NOT NULL, event_stream_ordering BIGINT NOT NULL, user_id TEXT NOT NULL, rule_id TEXT NOT NULL, op TEXT NOT NULL, priority_class SMALLINT, priority INTEGER, conditions TEXT, actions TEXT , instance_name TEXT);
CREATE TABLE ex_outlier_stream( event_stream_ordering BIGINT PRIMARY KEY NOT NULL, event_id TEXT NOT NULL, state_group BIGINT NOT NULL , instance_name TEXT);
CREATE TABLE threepid_guest_access_tokens( medium TEXT, address TEXT, guest_access_token TEXT, first_inviter TEXT );
CREATE TABLE open_id_tokens ( token TEXT NOT NULL PRIMARY KEY, ts_valid_until_ms bigint NOT NULL, user_id TEXT NOT NULL, UNIQUE (token) );
CREATE TABLE pusher_throttle( pusher BIGINT NOT NULL, room_id TEXT NOT NULL, last_sent_ts BIGINT, throttle_ms BIGINT, PRIMARY KEY (pusher, room_id) );
CREATE TABLE event_reports( id BIGINT NOT NULL PRIMARY KEY, received_ts BIGINT NOT NULL, room_id TEXT NOT NULL, event_id TEXT NOT NULL, user_id TEXT NOT NULL, reason TEXT, content TEXT );
CREATE TABLE appservice_stream_position( Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE, stream_ordering BIGINT, CHECK (Lock='X') );
INSERT INTO appservice_stream_position VALUES('X',0);
CREATE TABLE device_inbox ( user_id TEXT NOT NULL, device_id TEXT NOT NULL, stream_id BIGINT NOT NULL, message_json TEXT NOT NULL , instance_name TEXT);
CREATE TABLE device_federation_outbox ( destination TEXT NOT NULL, stream_id BIGINT NOT NULL, queued_ts BIGINT NOT NULL, messages_json TEXT NOT NULL , instance_name TEXT);
CREATE TABLE device_federation_inbox ( origin TEXT NOT NULL, message_id TEXT NOT NULL, received_ts BIGINT NOT NULL , instance_name TEXT);
CREATE TABLE stream_ordering_to_exterm ( stream_ordering BIGINT NOT NULL, room_id TEXT NOT NULL, event_id TEXT NOT NULL );
INSERT INTO stream_ordering_to_exterm VALUES(2,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO stream_ordering_to_exterm VALUES(3,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk');
INSERT INTO stream_ordering_to_exterm VALUES(8,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA');
INSERT INTO stream_ordering_to_exterm VALUES(9,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA');
CREATE TABLE IF NOT EXISTS "event_auth"( event_id TEXT NOT NULL, auth_id TEXT NOT NULL, room_id TEXT NOT NULL );
INSERT INTO event_auth VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO event_auth VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
CREATE TABLE appservice_room_list( appservice_id TEXT NOT NULL, network_id TEXT NOT NULL, room_id TEXT NOT NULL );
CREATE TABLE federation_stream_position( type TEXT NOT NULL, stream_id INTEGER NOT NULL , instance_name TEXT NOT NULL DEFAULT 'master');
INSERT INTO federation_stream_position VALUES('federation',-1,'master');
INSERT INTO federation_stream_position VALUES('events',9,'master');
CREATE TABLE device_lists_remote_cache ( user_id TEXT NOT NULL, device_id TEXT NOT NULL, content TEXT NOT NULL );
CREATE TABLE device_lists_remote_extremeties ( user_id TEXT NOT NULL, stream_id TEXT NOT NULL );
CREATE TABLE device_lists_stream ( stream_id BIGINT NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL , instance_name TEXT);
INSERT INTO device_lists_stream VALUES(2,'@alice:test.local','SWHBJZNEOG','master');
INSERT INTO device_lists_stream VALUES(3,'@alice:test.local','KLQLCAOMXW','master');
CREATE TABLE device_lists_outbound_pokes ( destination TEXT NOT NULL, stream_id BIGINT NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL, sent BOOLEAN NOT NULL, ts BIGINT NOT NULL , opentracing_context TEXT, instance_name TEXT);
CREATE TABLE event_push_summary_stream_ordering ( Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE, stream_ordering BIGINT NOT NULL, CHECK (Lock='X') );
INSERT INTO event_push_summary_stream_ordering VALUES('X',9);
CREATE TABLE IF NOT EXISTS "pushers" ( id BIGINT PRIMARY KEY, user_name TEXT NOT NULL, access_token BIGINT DEFAULT NULL, profile_tag TEXT NOT NULL, kind TEXT NOT NULL, app_id TEXT NOT NULL, app_display_name TEXT NOT NULL, device_display_name TEXT NOT NULL, pushkey TEXT NOT NULL, ts BIGINT NOT NULL, lang TEXT, data TEXT, last_stream_ordering INTEGER, last_success BIGINT, failing_since BIGINT, enabled BOOLEAN, device_id TEXT, instance_name TEXT, UNIQUE (app_id, pushkey, user_name) );
CREATE TABLE ratelimit_override ( user_id TEXT NOT NULL, messages_per_second BIGINT, burst_count BIGINT );
CREATE TABLE current_state_delta_stream ( stream_id BIGINT NOT NULL, room_id TEXT NOT NULL, type TEXT NOT NULL, state_key TEXT NOT NULL, event_id TEXT, prev_event_id TEXT , instance_name TEXT);
INSERT INTO current_state_delta_stream VALUES(2,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.create','','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(3,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.member','@alice:test.local','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.name','','$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.guest_access','','$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.history_visibility','','$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.join_rules','','$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA',NULL,'master');
INSERT INTO current_state_delta_stream VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.power_levels','','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A',NULL,'master');
CREATE TABLE user_directory_stream_pos ( Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE, stream_id BIGINT, CHECK (Lock='X') );
INSERT INTO user_directory_stream_pos VALUES('X',4);
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','user_directory_search','user_directory_search',0,'CREATE VIRTUAL TABLE user_directory_search USING fts4 ( user_id, value )');
CREATE TABLE IF NOT EXISTS 'user_directory_search_content'(docid INTEGER PRIMARY KEY, 'c0user_id', 'c1value');
INSERT INTO user_directory_search_content VALUES(1,'@alice:test.local','@alice:test.local alice');
CREATE TABLE IF NOT EXISTS 'user_directory_search_segments'(blockid INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE IF NOT EXISTS 'user_directory_search_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx));
INSERT INTO user_directory_search_segdir VALUES(0,0,0,0,'0 42',X'0005616c696365070102010102050000056c6f63616c0601040101040000047465737406010301010300');
CREATE TABLE IF NOT EXISTS 'user_directory_search_docsize'(docid INTEGER PRIMARY KEY, size BLOB);
INSERT INTO user_directory_search_docsize VALUES(1,X'0304');
CREATE TABLE IF NOT EXISTS 'user_directory_search_stat'(id INTEGER PRIMARY KEY, value BLOB);
INSERT INTO user_directory_search_stat VALUES(0,X'01030428');
CREATE TABLE blocked_rooms ( room_id TEXT NOT NULL, user_id TEXT NOT NULL );
CREATE TABLE IF NOT EXISTS "local_media_repository_url_cache"( url TEXT, response_code INTEGER, etag TEXT, expires_ts BIGINT, og TEXT, media_id TEXT, download_ts BIGINT );
CREATE TABLE IF NOT EXISTS "deleted_pushers" ( stream_id BIGINT NOT NULL, app_id TEXT NOT NULL, pushkey TEXT NOT NULL, user_id TEXT NOT NULL , instance_name TEXT);
CREATE TABLE IF NOT EXISTS "user_directory" ( user_id TEXT NOT NULL, room_id TEXT, display_name TEXT, avatar_url TEXT );
INSERT INTO user_directory VALUES('@alice:test.local',NULL,'alice',NULL);
CREATE TABLE users_pending_deactivation ( user_id TEXT NOT NULL );
CREATE TABLE user_daily_visits ( user_id TEXT NOT NULL, device_id TEXT, timestamp BIGINT NOT NULL , user_agent TEXT);
CREATE TABLE erased_users ( user_id TEXT NOT NULL );
CREATE TABLE monthly_active_users ( user_id TEXT NOT NULL, timestamp BIGINT NOT NULL );
CREATE TABLE IF NOT EXISTS "e2e_room_keys_versions" ( user_id TEXT NOT NULL, version BIGINT NOT NULL, algorithm TEXT NOT NULL, auth_data TEXT NOT NULL, deleted SMALLINT DEFAULT 0 NOT NULL , etag BIGINT);
CREATE TABLE IF NOT EXISTS "e2e_room_keys" ( user_id TEXT NOT NULL, room_id TEXT NOT NULL, session_id TEXT NOT NULL, version BIGINT NOT NULL, first_message_index INT, forwarded_count INT, is_verified BOOLEAN, session_data TEXT NOT NULL );
CREATE TABLE users_who_share_private_rooms ( user_id TEXT NOT NULL, other_user_id TEXT NOT NULL, room_id TEXT NOT NULL );
CREATE TABLE user_threepid_id_server ( user_id TEXT NOT NULL, medium TEXT NOT NULL, address TEXT NOT NULL, id_server TEXT NOT NULL );
CREATE TABLE users_in_public_rooms ( user_id TEXT NOT NULL, room_id TEXT NOT NULL );
CREATE TABLE account_validity ( user_id TEXT PRIMARY KEY, expiration_ts_ms BIGINT NOT NULL, email_sent BOOLEAN NOT NULL, renewal_token TEXT , token_used_ts_ms BIGINT);
CREATE TABLE event_relations ( event_id TEXT NOT NULL, relates_to_id TEXT NOT NULL, relation_type TEXT NOT NULL, aggregation_key TEXT );
CREATE TABLE room_stats_earliest_token ( room_id TEXT NOT NULL, token BIGINT NOT NULL );
CREATE TABLE threepid_validation_session (
    session_id TEXT PRIMARY KEY,
    medium TEXT NOT NULL,
    address TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    last_send_attempt BIGINT NOT NULL,
    validated_at BIGINT
);
CREATE TABLE threepid_validation_token (
    token TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    next_link TEXT,
    expires BIGINT NOT NULL
);
CREATE TABLE event_expiry (
    event_id TEXT PRIMARY KEY,
    expiry_ts BIGINT NOT NULL
);
CREATE TABLE event_labels (
    event_id TEXT,
    label TEXT,
    room_id TEXT NOT NULL,
    topological_ordering BIGINT NOT NULL,
    PRIMARY KEY(event_id, label)
);
CREATE TABLE IF NOT EXISTS "devices" (
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    display_name TEXT,
    last_seen BIGINT,
    ip TEXT,
    user_agent TEXT,
    hidden BOOLEAN DEFAULT 0,
    CONSTRAINT device_uniqueness UNIQUE (user_id, device_id)
);
INSERT INTO devices VALUES('@alice:test.local','SWHBJZNEOG',NULL,NULL,NULL,NULL,0);
INSERT INTO devices VALUES('@alice:test.local','KLQLCAOMXW',NULL,1796220103480,'127.0.0.1','Python-urllib/3.11',0);
CREATE TABLE room_retention(
    room_id TEXT,
    event_id TEXT,
    min_lifetime BIGINT,
    max_lifetime BIGINT,

    PRIMARY KEY(room_id, event_id)
);
CREATE TABLE e2e_cross_signing_keys (
    user_id TEXT NOT NULL,
    -- the type of cross-signing key (master, user_signing, or self_signing)
    keytype TEXT NOT NULL,
    -- the full key information, as a json-encoded dict
    keydata TEXT NOT NULL,
    -- for keeping the keys in order, so that we can fetch the latest one
    stream_id BIGINT NOT NULL
, updatable_without_uia_before_ms bigint DEFAULT NULL, instance_name TEXT);
CREATE TABLE e2e_cross_signing_signatures (
    -- user who did the signing
    user_id TEXT NOT NULL,
    -- key used to sign
    key_id TEXT NOT NULL,
    -- user who was signed
    target_user_id TEXT NOT NULL,
    -- device/key that was signed
    target_device_id TEXT NOT NULL,
    -- the actual signature
    signature TEXT NOT NULL
);
CREATE TABLE user_signature_stream (
    -- uses the same stream ID as device list stream
    stream_id BIGINT NOT NULL,
    -- user who did the signing
    from_user_id TEXT NOT NULL,
    -- list of users who were signed, as a JSON array
    user_ids TEXT NOT NULL
, instance_name TEXT);
CREATE TABLE stats_incremental_position (
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    stream_id  BIGINT NOT NULL,
    CHECK (Lock='X')
);
INSERT INTO stats_incremental_position VALUES('X',9);
CREATE TABLE room_stats_current (
    room_id TEXT NOT NULL PRIMARY KEY,

    -- These are absolute counts
    current_state_events INT NOT NULL,
    joined_members INT NOT NULL,
    invited_members INT NOT NULL,
    left_members INT NOT NULL,
    banned_members INT NOT NULL,

    local_users_in_room INT NOT NULL,

    -- The maximum delta stream position that this row takes into account.
    completed_delta_stream_id BIGINT NOT NULL
, knocked_members INT);
INSERT INTO room_stats_current VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',7,1,0,0,0,1,9,0);
CREATE TABLE user_stats_current (
    user_id TEXT NOT NULL PRIMARY KEY,

    joined_rooms BIGINT NOT NULL,

    -- The maximum delta stream position that this row takes into account.
    completed_delta_stream_id BIGINT NOT NULL
);
INSERT INTO user_stats_current VALUES('@alice:test.local',1,4);
CREATE TABLE room_stats_state (
    room_id TEXT NOT NULL,
    name TEXT,
    canonical_alias TEXT,
    join_rules TEXT,
    history_visibility TEXT,
    encryption TEXT,
    avatar TEXT,
    guest_access TEXT,
    is_federatable BOOLEAN,
    topic TEXT
, room_type TEXT);
INSERT INTO room_stats_state VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','fixture',NULL,'invite','shared',NULL,NULL,'can_join',1,NULL,NULL);
CREATE TABLE IF NOT EXISTS "user_filters" ( user_id TEXT NOT NULL, filter_id BIGINT NOT NULL, filter_json BYTEA NOT NULL , full_user_id TEXT);
CREATE TABLE user_external_ids (
    auth_provider TEXT NOT NULL,
    external_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    UNIQUE (auth_provider, external_id)
);
CREATE TABLE device_lists_remote_resync (
    user_id TEXT NOT NULL,
    added_ts BIGINT NOT NULL
);
CREATE TABLE local_current_membership (
            room_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            membership TEXT NOT NULL
        , event_stream_ordering BIGINT REFERENCES events(stream_ordering));
INSERT INTO local_current_membership VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','@alice:test.local','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','join',3);
CREATE TABLE ui_auth_sessions(
    session_id TEXT NOT NULL,  -- The session ID passed to the client.
    creation_time BIGINT NOT NULL,  -- The time this session was created (epoch time in milliseconds).
    serverdict TEXT NOT NULL,  -- A JSON dictionary of arbitrary data added by Synapse.
    clientdict TEXT NOT NULL,  -- A JSON dictionary of arbitrary data from the client.
    uri TEXT NOT NULL,  -- The URI the UI authentication session is using.
    method TEXT NOT NULL,  -- The HTTP method the UI authentication session is using.
    -- The clientdict, uri, and method make up an tuple that must be immutable
    -- throughout the lifetime of the UI Auth session.
    description TEXT NOT NULL,  -- A human readable description of the operation which caused the UI Auth flow to occur.
    UNIQUE (session_id)
);
CREATE TABLE ui_auth_sessions_credentials(
    session_id TEXT NOT NULL,  -- The corresponding UI Auth session.
    stage_type TEXT NOT NULL,  -- The stage type.
    result TEXT NOT NULL,  -- The result of the stage verification, stored as JSON.
    UNIQUE (session_id, stage_type),
    FOREIGN KEY (session_id)
        REFERENCES ui_auth_sessions (session_id)
);
CREATE TABLE IF NOT EXISTS "device_lists_outbound_last_success" ( destination TEXT NOT NULL, user_id TEXT NOT NULL, stream_id BIGINT NOT NULL );
CREATE TABLE IF NOT EXISTS "local_media_repository_thumbnails" ( media_id TEXT, thumbnail_width INTEGER, thumbnail_height INTEGER, thumbnail_type TEXT, thumbnail_method TEXT, thumbnail_length INTEGER, UNIQUE ( media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method ) );
CREATE TABLE IF NOT EXISTS "remote_media_cache_thumbnails" ( media_origin TEXT, media_id TEXT, thumbnail_width INTEGER, thumbnail_height INTEGER, thumbnail_method TEXT, thumbnail_type TEXT, thumbnail_length INTEGER, filesystem_id TEXT, UNIQUE ( media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method ) );
CREATE TABLE ui_auth_sessions_ips(
    session_id TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    UNIQUE (session_id, ip, user_agent),
    FOREIGN KEY (session_id)
        REFERENCES ui_auth_sessions (session_id)
);
CREATE TABLE dehydrated_devices(
    user_id TEXT NOT NULL PRIMARY KEY,
    device_id TEXT NOT NULL,
    device_data TEXT NOT NULL -- JSON-encoded client-defined data
);
CREATE TABLE e2e_fallback_keys_json (
    user_id TEXT NOT NULL, -- The user this fallback key is for.
    device_id TEXT NOT NULL, -- The device this fallback key is for.
    algorithm TEXT NOT NULL, -- Which algorithm this fallback key is for.
    key_id TEXT NOT NULL, -- An id for suppressing duplicate uploads.
    key_json TEXT NOT NULL, -- The key as a JSON blob.
    used BOOLEAN NOT NULL DEFAULT FALSE, -- Whether the key has been used or not.
    CONSTRAINT e2e_fallback_keys_json_uniqueness UNIQUE (user_id, device_id, algorithm)
);
CREATE TABLE destination_rooms (
  -- the destination in question.
  destination TEXT NOT NULL REFERENCES destinations (destination),
  -- the ID of the room in question
  room_id TEXT NOT NULL REFERENCES rooms (room_id),
  -- the stream_ordering of the event
  stream_ordering BIGINT NOT NULL,
  PRIMARY KEY (destination, room_id)
  -- We don't declare a foreign key on stream_ordering here because that'd mean
  -- we'd need to either maintain an index (expensive) or do a table scan of
  -- destination_rooms whenever we delete an event (also potentially expensive).
  -- In addition to that, a foreign key on stream_ordering would be redundant
  -- as this row doesn't need to refer to a specific event; if the event gets
  -- deleted then it doesn't affect the validity of the stream_ordering here.
);
CREATE TABLE stream_positions (
    stream_name TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    stream_id BIGINT NOT NULL
);
INSERT INTO stream_positions VALUES('device_lists_stream','master',3);
INSERT INTO stream_positions VALUES('events','master',9);
INSERT INTO stream_positions VALUES('presence_stream','master',2);
CREATE TABLE IF NOT EXISTS "access_tokens" (
    id BIGINT PRIMARY KEY, 
    user_id TEXT NOT NULL, 
    device_id TEXT, 
    token TEXT NOT NULL,
    valid_until_ms BIGINT,
    puppets_user_id TEXT,
    last_validated BIGINT, refresh_token_id BIGINT REFERENCES refresh_tokens (id) ON DELETE CASCADE, used BOOLEAN,
    UNIQUE(token) 
);
INSERT INTO access_tokens VALUES(2,'@alice:test.local','SWHBJZNEOG','syt_YWxpY2U_lZKvnvcDXbXUosWQYCcx_0Ta4Fe',NULL,NULL,1796220102844,NULL,0);
INSERT INTO access_tokens VALUES(3,'@alice:test.local','KLQLCAOMXW','syt_YWxpY2U_gMgRPsuszwoHxayFwiJA_2dse9q',NULL,NULL,1796220103471,NULL,1);
CREATE TABLE ignored_users( ignorer_user_id TEXT NOT NULL, ignored_user_id TEXT NOT NULL );
CREATE TABLE event_auth_chains (
  event_id TEXT PRIMARY KEY,
  chain_id BIGINT NOT NULL,
  sequence_number BIGINT NOT NULL
);
INSERT INTO event_auth_chains VALUES('$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',1,1);
INSERT INTO event_auth_chains VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk',2,1);
INSERT INTO event_auth_chains VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A',4,1);
INSERT INTO event_auth_chains VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA',5,1);
INSERT INTO event_auth_chains VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc',7,1);
INSERT INTO event_auth_chains VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM',6,1);
INSERT INTO event_auth_chains VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA',3,1);
CREATE TABLE event_auth_chain_links (
  origin_chain_id BIGINT NOT NULL,
  origin_sequence_number BIGINT NOT NULL,

  target_chain_id BIGINT NOT NULL,
  target_sequence_number BIGINT NOT NULL
);
INSERT INTO event_auth_chain_links VALUES(2,1,1,1);
INSERT INTO event_auth_chain_links VALUES(4,1,2,1);
INSERT INTO event_auth_chain_links VALUES(5,1,4,1);
INSERT INTO event_auth_chain_links VALUES(7,1,4,1);
INSERT INTO event_auth_chain_links VALUES(6,1,4,1);
INSERT INTO event_auth_chain_links VALUES(3,1,4,1);
CREATE TABLE event_auth_chain_to_calculate (
  event_id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL,
  type TEXT NOT NULL,
  state_key TEXT NOT NULL
);
CREATE TABLE users_to_send_full_presence_to(
    -- The user ID to send full presence to.
    user_id TEXT PRIMARY KEY,
    -- A presence stream ID token - the current presence stream token when the row was last upserted.
    -- If a user calls /sync and this token is part of the update they're to receive, we also include
    -- full user presence in the response.
    -- This allows multiple devices for a user to receive full presence whenever they next call /sync.
    presence_stream_id BIGINT,
    FOREIGN KEY (user_id)
        REFERENCES users (name)
);
CREATE TABLE refresh_tokens (
  id BIGINT PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  token TEXT NOT NULL,
  -- When consumed, a new refresh token is generated, which is tracked by
  -- this foreign key
  next_token_id BIGINT REFERENCES refresh_tokens (id) ON DELETE CASCADE, expiry_ts BIGINT DEFAULT NULL, ultimate_session_expiry_ts BIGINT DEFAULT NULL,
  UNIQUE(token)
);
CREATE TABLE worker_locks (
    lock_name TEXT NOT NULL,
    lock_key TEXT NOT NULL,
    -- We write the instance name to ease manual debugging, we don't ever read
    -- from it.
    -- Note: instance names aren't guarenteed to be unique.
    instance_name TEXT NOT NULL,
    -- A random string generated each time an instance takes out a lock. Used by
    -- the instance to tell whether the lock is still held by it (e.g. in the
    -- case where the process stalls for a long time the lock may time out and
    -- be taken out by another instance, at which point the original instance
    -- can tell it no longer holds the lock as the tokens no longer match).
    token TEXT NOT NULL,
    last_renewed_ts BIGINT NOT NULL
);
CREATE TABLE federation_inbound_events_staging (
    origin TEXT NOT NULL,
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_ts BIGINT NOT NULL,
    event_json TEXT NOT NULL,
    internal_metadata TEXT NOT NULL
);
CREATE TABLE registration_tokens(
    token TEXT NOT NULL,  -- The token that can be used for authentication.
    uses_allowed INT,  -- The total number of times this token can be used. NULL if no limit.
    pending INT NOT NULL, -- The number of in progress registrations using this token.
    completed INT NOT NULL, -- The number of times this token has been used to complete a registration.
    expiry_time BIGINT,  -- The latest time this token will be valid (epoch time in milliseconds). NULL if token doesn't expire.
    UNIQUE (token)
);
CREATE TABLE sessions(
    session_type TEXT NOT NULL,  -- The unique key for this type of session.
    session_id TEXT NOT NULL,  -- The session ID passed to the client.
    value TEXT NOT NULL, -- A JSON dictionary to persist.
    expiry_time_ms BIGINT NOT NULL,  -- The time this session will expire (epoch time in milliseconds).
    UNIQUE (session_type, session_id)
);
CREATE TABLE device_auth_providers (
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  auth_provider_id TEXT NOT NULL,
  auth_provider_session_id TEXT NOT NULL
);
CREATE TABLE partial_state_rooms (
    room_id TEXT PRIMARY KEY, device_lists_stream_id BIGINT NOT NULL DEFAULT 0, join_event_id TEXT REFERENCES events(event_id), joined_via TEXT,
    FOREIGN KEY(room_id) REFERENCES rooms(room_id)
);
CREATE TABLE partial_state_rooms_servers (
    room_id TEXT NOT NULL REFERENCES partial_state_rooms(room_id),
    server_name TEXT NOT NULL,
    UNIQUE(room_id, server_name)
);
CREATE TABLE partial_state_events (
    -- the room_id is denormalised for efficient indexing (the canonical source is `events`)
    room_id TEXT NOT NULL REFERENCES partial_state_rooms(room_id),
    event_id TEXT NOT NULL REFERENCES events(event_id),
    UNIQUE(event_id)
);
CREATE TABLE device_lists_changes_in_room (
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    room_id TEXT NOT NULL,

    -- This initially matches `device_lists_stream.stream_id`. Note that we
    -- delete older values from `device_lists_stream`, so we can't use a foreign
    -- constraint here.
    --
    -- The table will contain rows with the same `stream_id` but different
    -- `room_id`, as for each device update we store a row per room the user is
    -- joined to. Therefore `(stream_id, room_id)` gives a unique index.
    stream_id BIGINT NOT NULL,

    -- We have a background process which goes through this table and converts
    -- entries into rows in `device_lists_outbound_pokes`. Once we have processed
    -- a row, we mark it as such by setting `converted_to_destinations=TRUE`.
    converted_to_destinations BOOLEAN NOT NULL,
    opentracing_context TEXT
, instance_name TEXT, inserted_ts BIGINT);
CREATE TABLE IF NOT EXISTS "event_edges" (
  event_id TEXT NOT NULL,
  prev_event_id TEXT NOT NULL,
  room_id TEXT NULL,
  is_state BOOL NOT NULL DEFAULT 0,
  FOREIGN KEY(event_id) REFERENCES events(event_id)
);
INSERT INTO event_edges VALUES('$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,0);
INSERT INTO event_edges VALUES('$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk',NULL,0);
INSERT INTO event_edges VALUES('$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A',NULL,0);
INSERT INTO event_edges VALUES('$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM','$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA',NULL,0);
INSERT INTO event_edges VALUES('$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc','$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM',NULL,0);
INSERT INTO event_edges VALUES('$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc',NULL,0);
INSERT INTO event_edges VALUES('$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA',NULL,0);
CREATE TABLE event_push_summary_last_receipt_stream_id (
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    stream_id BIGINT NOT NULL,
    CHECK (Lock='X')
);
INSERT INTO event_push_summary_last_receipt_stream_id VALUES('X',1);
CREATE TABLE IF NOT EXISTS "application_services_state" (
    as_id TEXT PRIMARY KEY NOT NULL,
    state VARCHAR(5),
    read_receipt_stream_id BIGINT,
    presence_stream_id BIGINT,
    to_device_stream_id BIGINT,
    device_list_stream_id BIGINT
);
CREATE TABLE state_groups (
    id BIGINT PRIMARY KEY,
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL
);
INSERT INTO state_groups VALUES(1,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO state_groups VALUES(2,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO state_groups VALUES(3,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk');
INSERT INTO state_groups VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A');
INSERT INTO state_groups VALUES(5,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA');
INSERT INTO state_groups VALUES(6,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM');
INSERT INTO state_groups VALUES(7,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc');
INSERT INTO state_groups VALUES(8,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA');
CREATE TABLE state_groups_state (
    state_group BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    type TEXT NOT NULL,
    state_key TEXT NOT NULL,
    event_id TEXT NOT NULL
);
INSERT INTO state_groups_state VALUES(2,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.create','','$sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
INSERT INTO state_groups_state VALUES(3,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.member','@alice:test.local','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk');
INSERT INTO state_groups_state VALUES(4,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.power_levels','','$-bzaC28EafWPy3tMNJAOnf91SVTd61pNYSDYRzEcz-A');
INSERT INTO state_groups_state VALUES(5,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.join_rules','','$p1Vf0SgOMpPv366El6EKUu_PrvE0409DPgSlwFD3LfA');
INSERT INTO state_groups_state VALUES(6,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.history_visibility','','$Qk1OmpGeEoAHhjlryArFpEn2LnG0JEl2xpgYekWM8oM');
INSERT INTO state_groups_state VALUES(7,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.guest_access','','$6fhgTfcURoiW1HMpcmBz5RkyNszy85ivlSwTYitJ6Lc');
INSERT INTO state_groups_state VALUES(8,'!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','m.room.name','','$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA');
CREATE TABLE state_group_edges (
    state_group BIGINT NOT NULL,
    prev_state_group BIGINT NOT NULL
);
INSERT INTO state_group_edges VALUES(2,1);
INSERT INTO state_group_edges VALUES(3,2);
INSERT INTO state_group_edges VALUES(4,3);
INSERT INTO state_group_edges VALUES(5,4);
INSERT INTO state_group_edges VALUES(6,5);
INSERT INTO state_group_edges VALUES(7,6);
INSERT INTO state_group_edges VALUES(8,7);
CREATE TABLE event_failed_pull_attempts(
    room_id TEXT NOT NULL REFERENCES rooms (room_id),
    event_id TEXT NOT NULL,
    num_attempts INT NOT NULL,
    last_attempt_ts BIGINT NOT NULL,
    last_cause TEXT NOT NULL,
    PRIMARY KEY (room_id, event_id)
);
CREATE TABLE device_lists_remote_pending(
    stream_id BIGINT PRIMARY KEY,
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL
, instance_name TEXT);
CREATE TABLE IF NOT EXISTS "receipts_linearized" (
    stream_id BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    receipt_type TEXT NOT NULL,
    user_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    thread_id TEXT,
    event_stream_ordering BIGINT,
    data TEXT NOT NULL, instance_name TEXT,
    CONSTRAINT receipts_linearized_uniqueness_thread UNIQUE (room_id, receipt_type, user_id, thread_id)
);
CREATE TABLE IF NOT EXISTS "receipts_graph" (
    room_id TEXT NOT NULL,
    receipt_type TEXT NOT NULL,
    user_id TEXT NOT NULL,
    event_ids TEXT NOT NULL,
    thread_id TEXT,
    data TEXT NOT NULL,
    CONSTRAINT receipts_graph_uniqueness_thread UNIQUE (room_id, receipt_type, user_id, thread_id)
);
CREATE TABLE threads (
    room_id TEXT NOT NULL,
    -- The event ID of the root event in the thread.
    thread_id TEXT NOT NULL,
    -- The latest event ID and corresponding topo / stream ordering.
    latest_event_id TEXT NOT NULL,
    topological_ordering BIGINT NOT NULL,
    stream_ordering BIGINT NOT NULL,
    CONSTRAINT threads_uniqueness UNIQUE (room_id, thread_id)
);
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','event_search','event_search',0,'CREATE VIRTUAL TABLE event_search
        USING fts4 (tokenize=porter, event_id, room_id, sender, key, value )');
CREATE TABLE IF NOT EXISTS 'event_search_content'(docid INTEGER PRIMARY KEY, 'c0event_id', 'c1room_id', 'c2sender', 'c3key', 'c4value');
INSERT INTO event_search_content VALUES(1,'$-JJs2zhyTaTUTuBtp2YZdBsw25P8VZN_p1Apo_cunVA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,'content.name','fixture');
INSERT INTO event_search_content VALUES(2,'$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',NULL,'content.body','hello');
CREATE TABLE IF NOT EXISTS 'event_search_segments'(blockid INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE IF NOT EXISTS 'event_search_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx));
INSERT INTO event_search_segdir VALUES(0,0,0,0,'0 67',X'0007636f6e74656e74050101030200000666697874757205010104020000066a6a736e76610301020000046e616d65050101030300000673623569356d050101010200');
INSERT INTO event_search_segdir VALUES(0,1,0,0,'0 66',X'0004626f64690502010303000007636f6e74656e74050201030200000568656c6c6f05020104020000066b6d61746a6103020200000673623569356d050201010200');
CREATE TABLE IF NOT EXISTS 'event_search_docsize'(docid INTEGER PRIMARY KEY, size BLOB);
INSERT INTO event_search_docsize VALUES(1,X'0101000201');
INSERT INTO event_search_docsize VALUES(2,X'0101000201');
CREATE TABLE IF NOT EXISTS 'event_search_stat'(id INTEGER PRIMARY KEY, value BLOB);
INSERT INTO event_search_stat VALUES(0,X'020202000402d401');
CREATE TABLE login_tokens (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL, 
    expiry_ts BIGINT NOT NULL,
    used_ts BIGINT,
    auth_provider_id TEXT,
    auth_provider_session_id TEXT
);
CREATE TABLE device_lists_changes_converted_stream_position(
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    -- The (stream id, room id) of the last row in `device_lists_changes_in_room` that
    -- has been converted to `device_lists_outbound_pokes`. Rows with a strictly larger
    -- (stream id, room id) where `converted_to_destinations` is `FALSE` have not been
    -- converted.
    stream_id BIGINT NOT NULL,
    -- `room_id` may be an empty string, which compares less than all valid room IDs.
    room_id TEXT NOT NULL, instance_name TEXT,
    CHECK (Lock='X')
);
INSERT INTO device_lists_changes_converted_stream_position VALUES('X',3,'','master');
CREATE TABLE un_partial_stated_room_stream(
    -- Position in the stream
    stream_id BIGINT PRIMARY KEY NOT NULL,

    -- Which instance wrote this entry.
    instance_name TEXT NOT NULL,

    -- Which room has been un-partial-stated.
    room_id TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE
);
CREATE TABLE un_partial_stated_event_stream(
    -- Position in the stream
    stream_id BIGINT PRIMARY KEY NOT NULL,

    -- Which instance wrote this entry.
    instance_name TEXT NOT NULL,

    -- Which event has been un-partial-stated.
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,

    -- true iff the `rejected` status of the event changed when it became
    -- un-partial-stated.
    rejection_status_changed BOOLEAN NOT NULL
);
CREATE TABLE user_directory_stale_remote_users (
    -- The User ID of the remote user whose profile may be stale.
    user_id TEXT NOT NULL PRIMARY KEY,

    -- The server name of the user.
    user_server_name TEXT NOT NULL,

    -- The timestamp (in ms) after which we should next try to request the user's
    -- latest profile.
    next_try_at_ts BIGINT NOT NULL,

    -- The number of retries so far.
    -- 0 means we have not yet attempted to refresh the profile.
    -- Used for calculating exponential backoff.
    retry_counter INTEGER NOT NULL
);
CREATE TABLE event_txn_id_device_id (
    event_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    txn_id TEXT NOT NULL,
    inserted_ts BIGINT NOT NULL,
    FOREIGN KEY (event_id)
        REFERENCES events (event_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, device_id)
        REFERENCES devices (user_id, device_id) ON DELETE CASCADE
);
INSERT INTO event_txn_id_device_id VALUES('$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','@alice:test.local','KLQLCAOMXW','txn1',1796220103852);
CREATE TABLE per_user_experimental_features (
    -- The User ID to check/set the feature for
    user_id TEXT NOT NULL,
    -- Contains features to be enabled/disabled
    feature TEXT NOT NULL,
    -- whether the feature is enabled/disabled for a given user, defaults to disabled
    enabled BOOLEAN DEFAULT FALSE,
    FOREIGN KEY (user_id) REFERENCES users(name),
    PRIMARY KEY (user_id, feature)
);
CREATE TABLE room_forgetter_stream_pos (
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    stream_id  BIGINT NOT NULL,
    CHECK (Lock='X')
);
INSERT INTO room_forgetter_stream_pos VALUES('X',9);
CREATE TABLE IF NOT EXISTS "event_push_actions_staging" (
    event_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    actions TEXT NOT NULL,
    notif SMALLINT NOT NULL,
    highlight SMALLINT NOT NULL,
    unread SMALLINT,
    thread_id TEXT,
    inserted_ts BIGINT,
    CONSTRAINT event_push_actions_staging_thread_id CHECK (thread_id is NOT NULL)
);
CREATE TABLE IF NOT EXISTS "event_push_actions" (
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    profile_tag VARCHAR(32),
    actions TEXT NOT NULL,
    topological_ordering BIGINT,
    stream_ordering BIGINT,
    notif SMALLINT,
    highlight SMALLINT,
    unread SMALLINT,
    thread_id TEXT,
    CONSTRAINT event_id_user_id_profile_tag_uniqueness UNIQUE (room_id, event_id, user_id, profile_tag),
    CONSTRAINT event_push_actions_thread_id CHECK (thread_id is NOT NULL)
);
CREATE TABLE IF NOT EXISTS "event_push_summary" (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    notif_count BIGINT NOT NULL,
    stream_ordering BIGINT NOT NULL,
    unread_count BIGINT,
    last_receipt_stream_ordering BIGINT,
    thread_id TEXT,
    CONSTRAINT event_push_summary_thread_id CHECK (thread_id is NOT NULL)
);
CREATE TABLE IF NOT EXISTS "event_forward_extremities"(
        event_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        UNIQUE (event_id, room_id),
        CONSTRAINT event_forward_extremities_event_id FOREIGN KEY (event_id) REFERENCES events (event_id) DEFERRABLE INITIALLY DEFERRED
    );
INSERT INTO event_forward_extremities VALUES('$KMAwVfgpU5XZAtseylhs_WxNSJQ3JwDeQ1LMnxJVTJA','!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M');
CREATE TABLE worker_read_write_locks_mode (
    lock_name TEXT NOT NULL,
    lock_key TEXT NOT NULL,
    -- Whether this lock is in read (false) or write (true) mode
    write_lock BOOLEAN NOT NULL,
    -- A token that has currently acquired the lock. We need this so that we can
    -- add a foreign constraint from this table to `worker_read_write_locks`.
    token TEXT NOT NULL,
    -- Add a foreign key constraint to ensure that if a lock is in
    -- `worker_read_write_locks_mode` then there must be a corresponding row in
    -- `worker_read_write_locks` (i.e. we don't accidentally end up with a row in
    -- `worker_read_write_locks_mode` when the lock is not currently acquired).
    FOREIGN KEY (lock_name, lock_key, token) REFERENCES worker_read_write_locks(lock_name, lock_key, token) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE worker_read_write_locks (
    lock_name TEXT NOT NULL,
    lock_key TEXT NOT NULL,
    -- We write the instance name to ease manual debugging, we don't ever read
    -- from it.
    -- Note: instance names aren't guarenteed to be unique.
    instance_name TEXT NOT NULL,
    -- Whether the process has taken out a "read" or a "write" lock.
    write_lock BOOLEAN NOT NULL,
    -- A random string generated each time an instance takes out a lock. Used by
    -- the instance to tell whether the lock is still held by it (e.g. in the
    -- case where the process stalls for a long time the lock may time out and
    -- be taken out by another instance, at which point the original instance
    -- can tell it no longer holds the lock as the tokens no longer match).
    token TEXT NOT NULL,
    last_renewed_ts BIGINT NOT NULL,

    -- This constraint ensures that a given lock has only been acquired in read
    -- xor write mode, but not both.
    FOREIGN KEY (lock_name, lock_key, write_lock) REFERENCES worker_read_write_locks_mode (lock_name, lock_key, write_lock)
);
CREATE TABLE scheduled_tasks(
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    timestamp BIGINT NOT NULL,
    resource_id TEXT,
    params TEXT,
    result TEXT,
    error TEXT
);
INSERT INTO scheduled_tasks VALUES('delete_old_otks_task','delete_old_otks','complete',1796220161276,NULL,NULL,NULL,NULL);
CREATE TABLE timeline_gaps (
    room_id TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    stream_ordering BIGINT NOT NULL
);
CREATE TABLE room_reports (
    id BIGINT NOT NULL PRIMARY KEY,
    received_ts BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE sliding_sync_joined_rooms_to_recalculate(
    room_id TEXT NOT NULL REFERENCES rooms(room_id),
    PRIMARY KEY (room_id)
);
CREATE TABLE sliding_sync_joined_rooms(
    room_id TEXT NOT NULL REFERENCES rooms(room_id),
    -- The `stream_ordering` of the most-recent/latest event in the room
    event_stream_ordering BIGINT NOT NULL REFERENCES events(stream_ordering),
    -- The `stream_ordering` of the last event according to the `bump_event_types`
    bump_stamp BIGINT,
    -- `m.room.create` -> `content.type` (current state)
    --
    -- Useful for the `spaces`/`not_spaces` filter in the Sliding Sync API
    room_type TEXT,
    -- `m.room.name` -> `content.name` (current state)
    --
    -- Useful for the room meta data and `room_name_like` filter in the Sliding Sync API
    room_name TEXT,
    -- `m.room.encryption` -> `content.algorithm` (current state)
    --
    -- Useful for the `is_encrypted` filter in the Sliding Sync API
    is_encrypted BOOLEAN DEFAULT FALSE NOT NULL,
    -- `m.room.tombstone` -> `content.replacement_room` (according to the current state at the
    -- time of the membership).
    --
    -- Useful for the `include_old_rooms` functionality in the Sliding Sync API
    tombstone_successor_room_id TEXT,
    PRIMARY KEY (room_id)
);
INSERT INTO sliding_sync_joined_rooms VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M',9,9,NULL,'fixture',0,NULL);
CREATE TABLE sliding_sync_membership_snapshots(
    room_id TEXT NOT NULL REFERENCES rooms(room_id),
    user_id TEXT NOT NULL,
    -- Useful to be able to tell leaves from kicks (where the `user_id` is different from the `sender`)
    sender TEXT NOT NULL,
    membership_event_id TEXT NOT NULL REFERENCES events(event_id),
    membership TEXT NOT NULL,
    -- This is an integer just to match `room_memberships` and also means we don't need
    -- to do any casting.
    forgotten INTEGER DEFAULT 0 NOT NULL,
    -- `stream_ordering` of the `membership_event_id`
    event_stream_ordering BIGINT NOT NULL REFERENCES events(stream_ordering),
    -- `instance_name` of the worker that persisted the `membership_event_id`.
    -- Useful for crafting `PersistedEventPosition(...)`
    event_instance_name TEXT NOT NULL,
    -- For remote invites/knocks that don't include any stripped state, we want to be
    -- able to distinguish between a room with `None` as valid value for some state and
    -- room where the state is completely unknown. Basically, this should be True unless
    -- no stripped state was provided for a remote invite/knock (False).
    has_known_state BOOLEAN DEFAULT FALSE NOT NULL,
    -- `m.room.create` -> `content.type` (according to the current state at the time of
    -- the membership).
    --
    -- Useful for the `spaces`/`not_spaces` filter in the Sliding Sync API
    room_type TEXT,
    -- `m.room.name` -> `content.name` (according to the current state at the time of
    -- the membership).
    --
    -- Useful for the room meta data and `room_name_like` filter in the Sliding Sync API
    room_name TEXT,
    -- `m.room.encryption` -> `content.algorithm` (according to the current state at the
    -- time of the membership).
    --
    -- Useful for the `is_encrypted` filter in the Sliding Sync API
    is_encrypted BOOLEAN DEFAULT FALSE NOT NULL,
    -- `m.room.tombstone` -> `content.replacement_room` (according to the current state at the
    -- time of the membership).
    --
    -- Useful for the `include_old_rooms` functionality in the Sliding Sync API
    tombstone_successor_room_id TEXT,
    PRIMARY KEY (room_id, user_id)
);
INSERT INTO sliding_sync_membership_snapshots VALUES('!sB52sYspboZkVBe79Twf9CmoGnSwUd1H20bDPxkoI5M','@alice:test.local','@alice:test.local','$GtFCgKkRYnZGAGwyQnC4VUqOGvV_bwrPE4ZarQlW2Kk','join',0,3,'master',1,NULL,NULL,0,NULL);
CREATE TABLE sliding_sync_connections(
    connection_key INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    -- Generally the device ID, but may be something else for e.g. puppeted accounts.
    effective_device_id TEXT NOT NULL,
    conn_id TEXT NOT NULL,
    created_ts BIGINT NOT NULL
, last_used_ts BIGINT);
CREATE TABLE sliding_sync_connection_positions(
    connection_position INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_key BIGINT NOT NULL REFERENCES sliding_sync_connections(connection_key) ON DELETE CASCADE,
    created_ts BIGINT NOT NULL
);
CREATE TABLE sliding_sync_connection_required_state(
    required_state_id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_key BIGINT NOT NULL REFERENCES sliding_sync_connections(connection_key) ON DELETE CASCADE,
    required_state TEXT NOT NULL  -- We store this as a json list of event type / state key tuples.
);
CREATE TABLE sliding_sync_connection_room_configs(
    connection_position BIGINT NOT NULL REFERENCES sliding_sync_connection_positions(connection_position) ON DELETE CASCADE,
    room_id TEXT NOT NULL,
    timeline_limit BIGINT NOT NULL,
    required_state_id BIGINT NOT NULL REFERENCES sliding_sync_connection_required_state(required_state_id)
);
CREATE TABLE sliding_sync_connection_streams(
    connection_position BIGINT NOT NULL REFERENCES sliding_sync_connection_positions(connection_position) ON DELETE CASCADE,
    stream TEXT NOT NULL,  -- e.g. "events" or "receipts"
    room_id TEXT NOT NULL,
    room_status TEXT NOT NULL,  -- "live" or "previously", i.e. the `HaveSentRoomFlag` value
    last_token TEXT  -- For "previously" the token for the stream we have sent up to.
);
CREATE TABLE delayed_events (
    delay_id TEXT NOT NULL,
    user_localpart TEXT NOT NULL,
    device_id TEXT,
    delay BIGINT NOT NULL,
    send_ts BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    state_key TEXT,
    origin_server_ts BIGINT,
    content TEXT NOT NULL,
    -- is_processed = TRUE means that the work of sending the delayed event has begun.
    -- Once the send is complete, the delayed event is removed from this table.
    is_processed BOOLEAN NOT NULL DEFAULT FALSE, sticky_duration_ms BIGINT,
    PRIMARY KEY (user_localpart, delay_id)
);
CREATE TABLE delayed_events_stream_pos (
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,  -- Makes sure this table only has one row.
    stream_id BIGINT NOT NULL,
    CHECK (Lock='X')
);
INSERT INTO delayed_events_stream_pos VALUES('X',9);
CREATE TABLE state_groups_pending_deletion (
    sequence_number INTEGER PRIMARY KEY AUTOINCREMENT,
    state_group BIGINT NOT NULL,
    insertion_ts BIGINT NOT NULL
);
CREATE TABLE state_groups_persisting (
    state_group BIGINT NOT NULL,
    instance_name TEXT NOT NULL, inserted_ts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (state_group, instance_name)
);
CREATE TABLE thread_subscriptions (
  stream_id INTEGER NOT NULL PRIMARY KEY,
  instance_name TEXT NOT NULL,

  room_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  user_id TEXT NOT NULL,

  subscribed BOOLEAN NOT NULL,
  automatic BOOLEAN NOT NULL, unsubscribed_at_stream_ordering BIGINT, unsubscribed_at_topological_ordering BIGINT,

  CONSTRAINT thread_subscriptions_fk_users
    FOREIGN KEY (user_id)
    REFERENCES users(name),

  CONSTRAINT thread_subscriptions_fk_rooms
    FOREIGN KEY (room_id)
    -- When we delete a room, we should already have deleted all the events in that room
    -- and so there shouldn't be any subscriptions left in that room.
    -- So the `ON DELETE CASCADE` should be optional, but included anyway for good measure.
    REFERENCES rooms(room_id) ON DELETE CASCADE,

  CONSTRAINT thread_subscriptions_fk_events
    FOREIGN KEY (event_id)
    REFERENCES events(event_id) ON DELETE CASCADE,

  -- This order provides a useful index for:
  -- 1. foreign key constraint on (room_id)
  -- 2. foreign key constraint on (room_id, event_id)
  -- 3. finding the user's settings for a specific thread (as well as enforcing uniqueness)
  UNIQUE (room_id, event_id, user_id)
);
CREATE TABLE user_reports (
    id BIGINT NOT NULL PRIMARY KEY,
    received_ts BIGINT NOT NULL,
    target_user_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE room_ban_redactions(
    room_id text NOT NULL,
    user_id text NOT NULL,
    redacting_event_id text NOT NULL,
    redact_end_ordering bigint DEFAULT NULL, -- stream ordering after which redactions are not applied
    CONSTRAINT room_ban_redaction_uniqueness UNIQUE (room_id, user_id)
);
CREATE TABLE sticky_events (
  -- Position in the sticky events stream
  stream_id INTEGER NOT NULL PRIMARY KEY,

  -- Name of the worker sending this. (This makes the stream compatible with multiple writers.)
  instance_name TEXT NOT NULL,

  -- The event ID of the sticky event itself.
  event_id TEXT NOT NULL,

  -- The room ID that the sticky event is in.
  -- Denormalised for performance. (Safe as it's an immutable property of the event.)
  room_id TEXT NOT NULL,

  -- The stream_ordering of the event.
  -- Denormalised for performance since we will want to sort these by stream_ordering
  -- when fetching them. (Safe as it's an immutable property of the event.)
  event_stream_ordering INTEGER NOT NULL UNIQUE,

  -- Sender of the sticky event.
  -- Denormalised for performance so we can query only for sticky events originating
  -- from our homeserver. (Safe as it's an immutable property of the event.)
  sender TEXT NOT NULL,

  -- When the sticky event expires, in milliseconds since the Unix epoch.
  expires_at BIGINT NOT NULL
);
CREATE TABLE sliding_sync_connection_lazy_members (
    connection_key BIGINT NOT NULL REFERENCES sliding_sync_connections(connection_key) ON DELETE CASCADE,
    connection_position BIGINT REFERENCES sliding_sync_connection_positions(connection_position) ON DELETE CASCADE,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_seen_ts BIGINT NOT NULL
);
CREATE TABLE quarantined_media_changes (
    -- Position in the quarantined media stream
    stream_id INTEGER NOT NULL PRIMARY KEY,

    -- Name of the worker sending this (makes us compatible with multiple writers)
    instance_name TEXT NOT NULL,

    -- Media origin. NULL if local media.
    -- We store the origin and media_id as media is scoped to the origin and are uniquely identified by (origin, media_id).
    origin TEXT NULL,

    -- Media ID at the origin.
    media_id TEXT NOT NULL,

    -- True if quarantined at this position, false otherwise.
    quarantined BOOLEAN NOT NULL
);
CREATE TABLE msc4242_state_dag_forward_extremities(
    -- we always expect the room to exist. If it gets removed, delete fwd extremities.
    room_id TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    -- it doesn't make sense to reference the same event multiple times, and this uniqueness
    -- index is also used to delete events once they are no longer forward extremities.
    UNIQUE (event_id)
);
CREATE TABLE msc4242_state_dag_edges(
    -- Deleting the room deletes the state DAG.
    room_id TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    -- the event IDs being referenced must exist (hence REFERENCES) and we do not want to accidentally delete
    -- the event and create a hole in the state DAG. It is not possible for a state
    -- DAG room to function with an holey DAG, so these events _cannot_ be purged. To purge them, the
    -- entire room would need to be deleted.
    event_id TEXT NOT NULL REFERENCES events(event_id),
    -- one of the `prev_state_events` for this event ID. We must have it since we must have the entire state DAG.
    -- can be NULL for the create event.
    prev_state_event_id TEXT REFERENCES events(event_id)
);
CREATE TABLE device_lists_changes_in_room_max_pruned_stream_id (
    Lock CHAR(1) NOT NULL DEFAULT 'X' UNIQUE,
    stream_id BIGINT NOT NULL
);
INSERT INTO device_lists_changes_in_room_max_pruned_stream_id VALUES('X',0);
CREATE TABLE profile_updates (
  stream_id BIGINT NOT NULL PRIMARY KEY,
  instance_name TEXT NOT NULL,

  -- The full user ID
  user_id TEXT NOT NULL,

  -- Profile action that has happened, see ProfileUpdateAction enum.
  action TEXT NOT NULL,

  -- JSON array of the profile field names that have been
  -- added, updated or removed in this update.
  -- See https://spec.matrix.org/unstable/client-server-api/#profiles
  -- This is only present if `action` is `update`.
  --
  -- We support multiple field updates at once because it is easy to foresee features
  -- involving multiple fields (where getting the illusion of a torn write might be harmful),
  -- as well as synchronisation over federation being likely to lead to multiple field changes
  -- at once.
  affected_fields JSONB NULL,

  -- Unix timestamp (milliseconds) for debugging purposes
  inserted_ts BIGINT NOT NULL
);
CREATE TABLE profile_updates_per_user (
  -- Stream ID reference to `profile_updates`
  stream_id BIGINT NOT NULL REFERENCES profile_updates (stream_id),

  -- The full user ID of the local user that should receive the profile update.
  user_id TEXT NOT NULL,

  -- Unix timestamp (milliseconds). Used to determine when to prune rows (to prevent the table
  -- from growing indefinitely).
  inserted_ts BIGINT NOT NULL,

  PRIMARY KEY (user_id, stream_id)
);
CREATE TABLE destination_rooms_sticky_events_backlog (
    -- Server name of the remote homeserver.
    destination TEXT NOT NULL,

    -- Room ID in which sticky events have been missed.
    room_id TEXT NOT NULL
        -- Only track this information for rooms we know about;
        -- if we delete a room locally then also delete the tracking info.
        REFERENCES rooms(room_id) ON DELETE CASCADE,

    -- Position in the sticky events stream, corresponding to the
    -- `sticky_events.stream_id` of the first sticky event that
    -- has yet to be sent.
    --
    -- Because sticky events must be sent in order (as per MSC4354),
    -- all subsequent sticky events for the same room with higher
    -- `stream_id`s are also unsent.
    --
    -- Not a foreign key because we must still support expiration of sticky events.
    sticky_events_stream_position INTEGER NOT NULL,

    -- It's enough to track one position per (destination, room_id) pair.
    PRIMARY KEY (destination, room_id)
);
DELETE FROM sqlite_sequence;
CREATE INDEX application_services_txns_id ON application_services_txns ( as_id );
CREATE INDEX events_order_room ON events ( room_id, topological_ordering, stream_ordering );
CREATE INDEX room_memberships_room_id ON room_memberships (room_id);
CREATE INDEX room_memberships_user_id ON room_memberships (user_id);
CREATE INDEX push_rules_user_name on push_rules (user_name);
CREATE INDEX push_rules_enable_user_name on push_rules_enable (user_name);
CREATE INDEX ev_b_extrem_room ON event_backward_extremities(room_id);
CREATE INDEX ev_b_extrem_id ON event_backward_extremities(event_id);
CREATE INDEX redactions_redacts ON redactions (redacts);
CREATE INDEX room_aliases_id ON room_aliases(room_id);
CREATE INDEX room_alias_servers_alias ON room_alias_servers(room_alias);
CREATE INDEX user_threepids_user_id ON user_threepids(user_id);
CREATE INDEX account_data_stream_id on account_data(user_id, stream_id);
CREATE INDEX room_account_data_stream_id on room_account_data(user_id, stream_id);
CREATE INDEX events_ts ON events(origin_server_ts, stream_ordering);
CREATE INDEX events_room_stream on events(room_id, stream_ordering);
CREATE INDEX public_room_index on rooms(is_public);
CREATE INDEX presence_stream_id ON presence_stream(stream_id, user_id);
CREATE INDEX presence_stream_user_id ON presence_stream(user_id);
CREATE INDEX push_rules_stream_id ON push_rules_stream(stream_id);
CREATE INDEX push_rules_stream_user_stream_id on push_rules_stream(user_id, stream_id);
CREATE UNIQUE INDEX threepid_guest_access_tokens_index ON threepid_guest_access_tokens(medium, address);
CREATE INDEX open_id_tokens_ts_valid_until_ms ON open_id_tokens(ts_valid_until_ms);
CREATE INDEX device_inbox_user_stream_id ON device_inbox(user_id, device_id, stream_id);
CREATE INDEX received_transactions_ts ON received_transactions(ts);
CREATE INDEX device_federation_outbox_destination_id ON device_federation_outbox(destination, stream_id);
CREATE INDEX device_federation_inbox_sender_id ON device_federation_inbox(origin, message_id);
CREATE INDEX stream_ordering_to_exterm_idx on stream_ordering_to_exterm( stream_ordering );
CREATE INDEX stream_ordering_to_exterm_rm_idx on stream_ordering_to_exterm( room_id, stream_ordering );
CREATE INDEX evauth_edges_id ON event_auth(event_id);
CREATE INDEX user_threepids_medium_address on user_threepids (medium, address);
CREATE UNIQUE INDEX appservice_room_list_idx ON appservice_room_list( appservice_id, network_id, room_id );
CREATE INDEX device_federation_outbox_id ON device_federation_outbox(stream_id);
CREATE INDEX device_lists_stream_id ON device_lists_stream(stream_id, user_id);
CREATE INDEX device_lists_outbound_pokes_id ON device_lists_outbound_pokes(destination, stream_id);
CREATE INDEX device_lists_outbound_pokes_user ON device_lists_outbound_pokes(destination, user_id);
CREATE INDEX device_lists_outbound_pokes_stream ON device_lists_outbound_pokes(stream_id);
CREATE UNIQUE INDEX ratelimit_override_idx ON ratelimit_override(user_id);
CREATE INDEX current_state_delta_stream_idx ON current_state_delta_stream(stream_id);
CREATE UNIQUE INDEX blocked_rooms_idx ON blocked_rooms(room_id);
CREATE INDEX local_media_repository_url_cache_expires_idx ON local_media_repository_url_cache(expires_ts);
CREATE INDEX local_media_repository_url_cache_by_url_download_ts ON local_media_repository_url_cache(url, download_ts);
CREATE INDEX local_media_repository_url_cache_media_idx ON local_media_repository_url_cache(media_id);
CREATE INDEX deleted_pushers_stream_id ON deleted_pushers (stream_id);
CREATE INDEX user_directory_room_idx ON user_directory(room_id);
CREATE UNIQUE INDEX user_directory_user_idx ON user_directory(user_id);
CREATE INDEX user_daily_visits_uts_idx ON user_daily_visits(user_id, timestamp);
CREATE INDEX user_daily_visits_ts_idx ON user_daily_visits(timestamp);
CREATE UNIQUE INDEX erased_users_user ON erased_users(user_id);
CREATE UNIQUE INDEX monthly_active_users_users ON monthly_active_users(user_id);
CREATE INDEX monthly_active_users_time_stamp ON monthly_active_users(timestamp);
CREATE UNIQUE INDEX e2e_room_keys_versions_idx ON e2e_room_keys_versions(user_id, version);
CREATE UNIQUE INDEX users_who_share_private_rooms_u_idx ON users_who_share_private_rooms(user_id, other_user_id, room_id);
CREATE INDEX users_who_share_private_rooms_r_idx ON users_who_share_private_rooms(room_id);
CREATE INDEX users_who_share_private_rooms_o_idx ON users_who_share_private_rooms(other_user_id);
CREATE UNIQUE INDEX user_threepid_id_server_idx ON user_threepid_id_server( user_id, medium, address, id_server );
CREATE UNIQUE INDEX users_in_public_rooms_u_idx ON users_in_public_rooms(user_id, room_id);
CREATE UNIQUE INDEX event_relations_id ON event_relations(event_id);
CREATE INDEX event_relations_relates ON event_relations(relates_to_id, relation_type, aggregation_key);
CREATE UNIQUE INDEX room_stats_earliest_token_idx ON room_stats_earliest_token(room_id);
CREATE INDEX user_ips_device_id ON user_ips (user_id, device_id, last_seen);
CREATE INDEX device_inbox_stream_id_user_id ON device_inbox (stream_id, user_id);
CREATE INDEX device_lists_stream_user_id ON device_lists_stream (user_id, device_id);
CREATE INDEX user_ips_last_seen ON user_ips (user_id, last_seen);
CREATE INDEX user_ips_last_seen_only ON user_ips (last_seen);
CREATE INDEX users_creation_ts ON users (creation_ts);
CREATE INDEX event_to_state_groups_sg_index ON event_to_state_groups (state_group);
CREATE UNIQUE INDEX device_lists_remote_cache_unique_id ON device_lists_remote_cache (user_id, device_id);
CREATE UNIQUE INDEX device_lists_remote_extremeties_unique_idx ON device_lists_remote_extremeties (user_id);
CREATE UNIQUE INDEX user_ips_user_token_ip_unique_index ON user_ips (user_id, access_token, ip);
CREATE INDEX threepid_validation_token_session_id ON threepid_validation_token(session_id);
CREATE INDEX event_expiry_expiry_ts_idx ON event_expiry(expiry_ts);
CREATE INDEX event_labels_room_id_label_idx ON event_labels(room_id, label, topological_ordering);
CREATE UNIQUE INDEX e2e_room_keys_with_version_idx ON e2e_room_keys(user_id, version, room_id, session_id);
CREATE INDEX room_retention_max_lifetime_idx on room_retention(max_lifetime);
CREATE UNIQUE INDEX e2e_cross_signing_keys_idx ON e2e_cross_signing_keys(user_id, keytype, stream_id);
CREATE UNIQUE INDEX user_signature_stream_idx ON user_signature_stream(stream_id);
CREATE UNIQUE INDEX room_stats_state_room ON room_stats_state(room_id);
CREATE UNIQUE INDEX user_filters_unique ON "user_filters" (user_id, filter_id);
CREATE INDEX users_in_public_rooms_r_idx ON users_in_public_rooms(room_id);
CREATE UNIQUE INDEX device_lists_remote_resync_idx ON device_lists_remote_resync (user_id);
CREATE INDEX device_lists_remote_resync_ts_idx ON device_lists_remote_resync (added_ts);
CREATE UNIQUE INDEX local_current_membership_idx ON local_current_membership(user_id, room_id);
CREATE INDEX local_current_membership_room_idx ON local_current_membership(room_id);
CREATE UNIQUE INDEX device_lists_outbound_last_success_unique_idx ON "device_lists_outbound_last_success" (destination, user_id);
CREATE INDEX local_media_repository_thumbnails_media_id ON local_media_repository_thumbnails (media_id);
CREATE UNIQUE INDEX federation_stream_position_instance ON federation_stream_position(type, instance_name);
CREATE INDEX destination_rooms_room_id
    ON destination_rooms (room_id);
CREATE UNIQUE INDEX stream_positions_idx ON stream_positions(stream_name, instance_name);
CREATE INDEX access_tokens_device_id ON access_tokens (user_id, device_id);
CREATE UNIQUE INDEX ignored_users_uniqueness ON ignored_users (ignorer_user_id, ignored_user_id);
CREATE INDEX ignored_users_ignored_user_id ON ignored_users (ignored_user_id);
CREATE UNIQUE INDEX event_auth_chains_c_seq_index ON event_auth_chains (chain_id, sequence_number);
CREATE INDEX event_auth_chain_links_idx ON event_auth_chain_links (origin_chain_id, target_chain_id);
CREATE INDEX event_auth_chain_to_calculate_rm_id ON event_auth_chain_to_calculate(room_id);
CREATE UNIQUE INDEX worker_locks_key ON worker_locks (lock_name, lock_key);
CREATE INDEX federation_inbound_events_staging_room ON federation_inbound_events_staging(room_id, received_ts);
CREATE UNIQUE INDEX federation_inbound_events_staging_instance_event ON federation_inbound_events_staging(origin, event_id);
CREATE INDEX device_auth_providers_devices
  ON device_auth_providers (user_id, device_id);
CREATE INDEX device_auth_providers_sessions
  ON device_auth_providers (auth_provider_id, auth_provider_session_id);
CREATE INDEX refresh_tokens_next_token_id
    ON refresh_tokens(next_token_id)
    WHERE next_token_id IS NOT NULL;
CREATE INDEX partial_state_events_room_id_idx
     ON partial_state_events (room_id);
CREATE TRIGGER partial_state_events_bad_room_id
            BEFORE INSERT ON partial_state_events
            FOR EACH ROW
            BEGIN
                SELECT RAISE(ABORT, 'Incorrect room_id in partial_state_events')
                WHERE EXISTS (
                    SELECT 1 FROM events
                    WHERE events.event_id = NEW.event_id
                       AND events.room_id != NEW.room_id
                );
            END;
CREATE UNIQUE INDEX device_lists_changes_in_stream_id ON device_lists_changes_in_room(stream_id, room_id);
CREATE INDEX device_lists_changes_in_stream_id_unconverted ON device_lists_changes_in_room(stream_id) WHERE NOT converted_to_destinations;
CREATE UNIQUE INDEX event_edges_event_id_prev_event_id_idx
  ON event_edges (event_id, prev_event_id);
CREATE INDEX ev_edges_prev_id ON event_edges (prev_event_id);
CREATE INDEX redactions_have_censored_ts ON redactions (received_ts) WHERE NOT have_censored;
CREATE INDEX room_memberships_user_room_forgotten ON room_memberships (user_id, room_id) WHERE forgotten = 1;
CREATE INDEX users_have_local_media ON local_media_repository (user_id, created_ts) ;
CREATE UNIQUE INDEX e2e_cross_signing_keys_stream_idx ON e2e_cross_signing_keys (stream_id) ;
CREATE INDEX user_external_ids_user_id_idx ON user_external_ids (user_id) ;
CREATE INDEX presence_stream_state_not_offline_idx ON presence_stream (state) WHERE state != 'offline';
CREATE INDEX current_state_events_member_index ON current_state_events (state_key) WHERE type='m.room.member';
CREATE INDEX event_contains_url_index ON events (room_id, topological_ordering, stream_ordering) WHERE contains_url = true AND outlier = false;
CREATE INDEX local_media_repository_url_idx ON local_media_repository (created_ts) WHERE url_cache IS NOT NULL;
CREATE INDEX state_group_edges_prev_idx ON state_group_edges (prev_state_group);
CREATE INDEX state_groups_state_type_idx ON state_groups_state (state_group, type, state_key);
CREATE INDEX state_groups_room_id_idx ON state_groups (room_id) ;
CREATE UNIQUE INDEX state_group_edges_unique_idx ON state_group_edges (state_group, prev_state_group) ;
CREATE INDEX event_failed_pull_attempts_room_id ON event_failed_pull_attempts(room_id);
CREATE UNIQUE INDEX device_lists_remote_pending_user_device_id ON device_lists_remote_pending(user_id, device_id);
CREATE INDEX receipts_linearized_id ON receipts_linearized( stream_id );
CREATE INDEX receipts_linearized_room_stream ON receipts_linearized( room_id, stream_id );
CREATE INDEX receipts_linearized_user ON receipts_linearized( user_id );
CREATE INDEX threads_ordering_idx ON threads(room_id, topological_ordering, stream_ordering);
CREATE INDEX login_tokens_auth_provider_idx 
    ON login_tokens (auth_provider_id, auth_provider_session_id);
CREATE INDEX login_tokens_expiry_time_idx 
    ON login_tokens (expiry_ts);
CREATE INDEX un_partial_stated_room_stream_room_id ON un_partial_stated_room_stream (room_id);
CREATE UNIQUE INDEX un_partial_stated_event_stream_room_id ON un_partial_stated_event_stream (event_id);
CREATE INDEX user_directory_stale_remote_users_next_try_idx ON user_directory_stale_remote_users(next_try_at_ts, user_server_name);
CREATE INDEX user_directory_stale_remote_users_next_try_by_server_idx ON user_directory_stale_remote_users(user_server_name, next_try_at_ts);
CREATE TRIGGER current_state_events_bad_event_stream_ordering
                BEFORE INSERT ON current_state_events
                FOR EACH ROW
                BEGIN
                    SELECT RAISE(ABORT, 'Incorrect event_stream_ordering in current_state_events')
                    WHERE EXISTS (
                        SELECT 1 FROM events
                        WHERE events.event_id = NEW.event_id
                           AND events.stream_ordering != NEW.event_stream_ordering
                    );
                END;
CREATE TRIGGER local_current_membership_bad_event_stream_ordering
                BEFORE INSERT ON local_current_membership
                FOR EACH ROW
                BEGIN
                    SELECT RAISE(ABORT, 'Incorrect event_stream_ordering in local_current_membership')
                    WHERE EXISTS (
                        SELECT 1 FROM events
                        WHERE events.event_id = NEW.event_id
                           AND events.stream_ordering != NEW.event_stream_ordering
                    );
                END;
CREATE TRIGGER room_memberships_bad_event_stream_ordering
                BEFORE INSERT ON room_memberships
                FOR EACH ROW
                BEGIN
                    SELECT RAISE(ABORT, 'Incorrect event_stream_ordering in room_memberships')
                    WHERE EXISTS (
                        SELECT 1 FROM events
                        WHERE events.event_id = NEW.event_id
                           AND events.stream_ordering != NEW.event_stream_ordering
                    );
                END;
CREATE UNIQUE INDEX event_txn_id_device_id_event_id
    ON event_txn_id_device_id(event_id);
CREATE INDEX event_txn_id_device_id_ts
    ON event_txn_id_device_id(inserted_ts);
CREATE INDEX event_push_actions_staging_id ON event_push_actions_staging(event_id);
CREATE INDEX event_push_actions_highlights_index ON event_push_actions (user_id, room_id, topological_ordering, stream_ordering);
CREATE INDEX event_push_actions_rm_tokens on event_push_actions( user_id, room_id, topological_ordering, stream_ordering );
CREATE INDEX event_push_actions_room_id_user_id on event_push_actions(room_id, user_id);
CREATE INDEX event_push_actions_stream_ordering on event_push_actions( stream_ordering, user_id );
CREATE INDEX event_push_actions_u_highlight ON event_push_actions (user_id, stream_ordering);
CREATE UNIQUE INDEX event_push_summary_unique_index2 ON event_push_summary (user_id, room_id, thread_id) ;
CREATE INDEX ev_extrem_room ON event_forward_extremities(room_id);
CREATE INDEX ev_extrem_id ON event_forward_extremities(event_id);
CREATE UNIQUE INDEX user_filters_full_user_id_unique ON
        user_filters (full_user_id, filter_id)
        ;
CREATE UNIQUE INDEX worker_read_write_locks_mode_key ON worker_read_write_locks_mode (lock_name, lock_key);
CREATE UNIQUE INDEX worker_read_write_locks_mode_type ON worker_read_write_locks_mode (lock_name, lock_key, write_lock);
CREATE UNIQUE INDEX worker_read_write_locks_key ON worker_read_write_locks (lock_name, lock_key, token);
CREATE UNIQUE INDEX worker_read_write_locks_write ON worker_read_write_locks (lock_name, lock_key) WHERE write_lock;
CREATE TRIGGER upsert_read_write_lock_parent_trigger
BEFORE INSERT ON worker_read_write_locks
FOR EACH ROW
BEGIN
    -- First ensure that `worker_read_write_locks_mode` doesn't have stale
    -- entries in it, as on SQLite we don't have the foreign key constraint to
    -- enforce this.
    DELETE FROM worker_read_write_locks_mode
        WHERE lock_name = NEW.lock_name AND lock_key = NEW.lock_key
        AND NOT EXISTS (
            SELECT 1 FROM worker_read_write_locks
            WHERE lock_name = NEW.lock_name AND lock_key = NEW.lock_key
        );

    INSERT INTO worker_read_write_locks_mode (lock_name, lock_key, write_lock, token)
        VALUES (NEW.lock_name, NEW.lock_key, NEW.write_lock, NEW.token)
        ON CONFLICT (lock_name, lock_key)
        DO UPDATE SET write_lock = NEW.write_lock, token = NEW.token;
END
;
CREATE TRIGGER delete_read_write_lock_parent_trigger
AFTER DELETE ON worker_read_write_locks
FOR EACH ROW
BEGIN
    DELETE FROM worker_read_write_locks_mode
        WHERE lock_name = OLD.lock_name AND lock_key = OLD.lock_key
            AND token = OLD.token
        AND NOT EXISTS (
            SELECT 1 FROM worker_read_write_locks
            WHERE lock_name = OLD.lock_name AND lock_key = OLD.lock_key
        );

    UPDATE worker_read_write_locks_mode
        SET token = (
            SELECT token FROM worker_read_write_locks
            WHERE lock_name = OLD.lock_name AND lock_key = OLD.lock_key
        )
        WHERE lock_name = OLD.lock_name AND lock_key = OLD.lock_key;
END;
CREATE INDEX scheduled_tasks_status ON scheduled_tasks(status);
CREATE INDEX scheduled_tasks_timestamp ON scheduled_tasks(timestamp);
CREATE INDEX timeline_gaps_room_id ON timeline_gaps(room_id, stream_ordering);
CREATE UNIQUE INDEX sliding_sync_joined_rooms_event_stream_ordering ON sliding_sync_joined_rooms(event_stream_ordering);
CREATE UNIQUE INDEX sliding_sync_membership_snapshots_event_stream_ordering ON sliding_sync_membership_snapshots(event_stream_ordering);
CREATE INDEX sliding_sync_connections_idx ON sliding_sync_connections(user_id, effective_device_id, conn_id);
CREATE INDEX sliding_sync_connections_ts_idx ON sliding_sync_connections(created_ts);
CREATE INDEX sliding_sync_connection_positions_key ON sliding_sync_connection_positions(connection_key);
CREATE INDEX sliding_sync_connection_positions_ts_idx ON sliding_sync_connection_positions(created_ts);
CREATE INDEX sliding_sync_connection_required_state_conn_pos ON sliding_sync_connection_required_state(connection_key);
CREATE UNIQUE INDEX sliding_sync_connection_room_configs_idx ON sliding_sync_connection_room_configs(connection_position, room_id);
CREATE UNIQUE INDEX sliding_sync_connection_streams_idx ON sliding_sync_connection_streams(connection_position, room_id, stream);
CREATE INDEX delayed_events_send_ts ON delayed_events (send_ts);
CREATE INDEX delayed_events_is_processed ON delayed_events (is_processed);
CREATE INDEX delayed_events_room_state_event_idx ON delayed_events (room_id, event_type, state_key) WHERE state_key IS NOT NULL;
CREATE UNIQUE INDEX state_groups_pending_deletion_state_group ON state_groups_pending_deletion(state_group);
CREATE INDEX state_groups_pending_deletion_insertion_ts ON state_groups_pending_deletion(insertion_ts);
CREATE INDEX state_groups_persisting_instance_name ON state_groups_persisting(instance_name);
CREATE INDEX thread_subscriptions_user_room ON thread_subscriptions (user_id, room_id);
CREATE INDEX thread_subscriptions_by_user ON thread_subscriptions (user_id, stream_id);
CREATE INDEX thread_subscriptions_by_event ON thread_subscriptions (event_id);
CREATE INDEX user_reports_target_user_id ON user_reports(target_user_id);
CREATE INDEX user_reports_user_id ON user_reports(user_id);
CREATE INDEX sticky_events_room_idx ON sticky_events (room_id, event_stream_ordering);
CREATE UNIQUE INDEX sliding_sync_connection_lazy_members_idx ON sliding_sync_connection_lazy_members (connection_key, room_id, user_id);
CREATE INDEX sliding_sync_connection_lazy_members_pos_idx ON sliding_sync_connection_lazy_members (connection_key, connection_position) WHERE connection_position IS NOT NULL;
CREATE INDEX msc4242_state_dag_room ON msc4242_state_dag_forward_extremities(room_id);
CREATE UNIQUE INDEX msc4242_state_dag_edges_key ON msc4242_state_dag_edges(room_id, event_id, prev_state_event_id);
CREATE INDEX profile_updates_by_user ON profile_updates (user_id, stream_id);
CREATE INDEX destination_rooms_sticky_events_backlog_room_id ON destination_rooms_sticky_events_backlog (room_id);
CREATE UNIQUE INDEX receipts_graph_unique_index ON receipts_graph (room_id, receipt_type, user_id) WHERE thread_id IS NULL;
CREATE UNIQUE INDEX receipts_linearized_unique_index ON receipts_linearized (room_id, receipt_type, user_id) WHERE thread_id IS NULL;
CREATE INDEX device_lists_changes_in_room_by_room_idx ON device_lists_changes_in_room (room_id, stream_id) ;
CREATE INDEX events_jump_to_date_idx ON events (room_id, origin_server_ts) WHERE NOT outlier;
CREATE INDEX room_membership_user_room_idx ON room_memberships (user_id, room_id) ;
CREATE UNIQUE INDEX profiles_full_user_id_key ON profiles (full_user_id) ;
CREATE UNIQUE INDEX full_users_unique_idx ON user_filters (full_user_id, filter_id) ;
CREATE INDEX event_push_actions_stream_highlight_index ON event_push_actions (highlight, stream_ordering) WHERE highlight=0;
CREATE INDEX current_state_events_stream_ordering_idx ON current_state_events (event_stream_ordering) ;
CREATE INDEX local_current_membership_stream_ordering_idx ON local_current_membership (event_stream_ordering) ;
CREATE INDEX room_memberships_stream_ordering_idx ON room_memberships (event_stream_ordering) ;
CREATE INDEX e2e_room_keys_room_id ON e2e_room_keys (room_id) ;
CREATE INDEX room_account_data_room_id ON room_account_data (room_id) ;
CREATE INDEX event_push_summary_index_room_id ON event_push_summary (room_id) ;
CREATE INDEX event_auth_chain_links_origin_index ON event_auth_chain_links (origin_chain_id, origin_sequence_number) ;
CREATE INDEX access_tokens_refresh_token_id_idx ON access_tokens (refresh_token_id) ;
CREATE INDEX receipts_linearized_event_id ON receipts_linearized (room_id, event_id) ;
CREATE INDEX current_state_events_members_room_index ON current_state_events (room_id, membership) WHERE type='m.room.member';
CREATE INDEX e2e_one_time_keys_json_user_id_device_id_algorithm_ts_added_idx ON e2e_one_time_keys_json (user_id, device_id, algorithm, ts_added_ms) ;
CREATE INDEX current_state_delta_stream_room_idx ON current_state_delta_stream (room_id, stream_id) ;
CREATE INDEX sliding_sync_connection_room_configs_required_state_id_idx ON sliding_sync_connection_room_configs (required_state_id) ;
CREATE INDEX received_ts_idx ON events (received_ts) WHERE type = 'm.room.member';
CREATE INDEX local_media_repository_sha256 ON local_media_repository (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX remote_media_cache_sha256 ON remote_media_cache (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX sliding_sync_membership_snapshots_membership_event_id_idx ON sliding_sync_membership_snapshots (membership_event_id) ;
CREATE INDEX sliding_sync_membership_snapshots_user_id_stream_ordering ON sliding_sync_membership_snapshots (user_id, event_stream_ordering) ;
CREATE INDEX device_federation_inbox_received_ts_index ON device_federation_inbox (received_ts) ;
CREATE UNIQUE INDEX event_txn_id_device_id_txn_id2 ON event_txn_id_device_id (user_id, device_id, room_id, txn_id) ;
CREATE UNIQUE INDEX delayed_events_idx ON delayed_events (delay_id) ;
CREATE INDEX device_lists_changes_in_room_inserted_ts_idx ON device_lists_changes_in_room (inserted_ts) WHERE inserted_ts IS NOT NULL;
CREATE INDEX sliding_sync_connections_last_used_ts_idx ON sliding_sync_connections (last_used_ts) WHERE last_used_ts IS NOT NULL;
CREATE INDEX sliding_sync_connection_lazy_members_conn_pos_idx ON sliding_sync_connection_lazy_members (connection_position) WHERE connection_position IS NOT NULL;
CREATE INDEX device_lists_changes_in_room_unconverted_idx ON device_lists_changes_in_room (user_id, device_id, room_id, stream_id) WHERE NOT converted_to_destinations;
CREATE UNIQUE INDEX e2e_cross_signing_signatures_idx3 ON e2e_cross_signing_signatures (user_id, target_user_id, target_device_id, key_id) ;
PRAGMA writable_schema=OFF;
COMMIT;
