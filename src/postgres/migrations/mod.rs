//! The application's own migrations: SQL files and folders, and Prisma's migrations folder

pub(crate) mod files;
pub(crate) mod prisma;
pub(crate) mod prisma_schema;
