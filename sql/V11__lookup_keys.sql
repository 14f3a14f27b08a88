-- Keys shaped after the lookups an import makes.
--
-- A contact's relationships are read by contact (the parents step reads a school's contacts with all their
-- relationships, in Clever's order): the primary key is now (account, contact, position), so those reads are range
-- scans of the table itself instead of one secondary-key probe and one primary-key probe per row. The contacts
-- related to a school's students are found through the student key, which holds the contact id: the index alone
-- answers. A contact's positions are numbered from 1 in Clever's order, so (account, contact, position) is unique.
ALTER TABLE district_contact_relationship
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (account_id, clever_user_id, ord),
  DROP KEY ix_district_contact_relationship_contact,
  ADD KEY ix_district_contact_relationship_student (account_id, student_clever_id);

-- Contacts are matched by email only to CSV-imported (MANUAL) contacts: with the source in the key, an email that
-- only Clever-created contacts carry is a miss in the index, and whether an account has any MANUAL contact of a kind
-- is one probe (an import skips the email lookups of an account that has none).
ALTER TABLE contact
  DROP KEY ix_contact_email,
  ADD KEY ix_contact_email (account_id, kind, source, email_norm);
