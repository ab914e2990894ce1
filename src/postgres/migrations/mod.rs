//! The application's own migrations: SQL files and folders, and Prisma's migrations folder

pub mod files;
pub mod prisma;
pub mod prisma_schema;
